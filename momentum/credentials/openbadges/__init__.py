"""Open Badges 3.0 verifiable credentials, as a library that knows no model and no setting.

    keys.py           Ed25519 signing keys: the key ring file (0600) or an environment value;
                      the newest key signs, every key stays published
    multibase.py      base58btc / base64url multibase, Ed25519 Multikey
    did.py            the issuer's did:web, its DID document and JWK Set
    contexts.py       the JSON-LD contexts we ship (contexts/) and a loader that serves only them
    credential.py     an OpenBadgeCredential (VC Data Model 2.0 + OB 3.0) from plain facts
    dataintegrity.py  the embedded DataIntegrityProof, cryptosuite eddsa-rdfc-2022
    vcjwt.py          the VC-JWT (VC-JOSE-COSE: typ vc+jwt, cty vc, EdDSA)
    statuslist.py     Bitstring Status List: entries, the encoded list, the list credential
    baking.py         badge PNGs with the credential in an iTXt chunk `openbadgecredential`

The app (momentum/credentials) feeds these with the site's settings and the database's rows.
"""
