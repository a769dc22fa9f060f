"""Pyslet as a peer we did not write, reading our Common Cartridge's QTI 1.2 the way an LMS would.

Pyslet (pyslet on PyPI, BSD licence, by Steve Lay, who worked on the IMS QTI specifications) models
QTI 1.2.1 and QTI 2.1 and migrates v1 items to v2; its QTI 2.1 item session runs response
processing. So for every item of our ``assessment.xml`` the peer parses the v1 XML, migrates it
and scores given answers with its own response processing: if we wrote the correct answer, the
cardinality or the conditions wrongly, its score says so.

Pyslet is installed, like Ralph for the xAPI tests, in a virtualenv under ``.tools/`` (cached, keyed
by the hash of the pinned requirements file, made under a file lock so xdist workers wait for one
another) and run as a subprocess in its own interpreter.

Pyslet's Python 3 defects are worked around at run time, none touching QTI semantics:
``Element.get_or_add_child`` calls ``generator.next()`` (Python 2 only; replaced by a loop);
``QTIDocument.migrate_to_v2`` logs ``str(root)``, which trips on a misspelt attribute
(``QTIAssessProcExtension``) in ``Assessment.get_children``, so the script calls
``QuesTestInterop.migrate_to_v2`` itself, which is what that method wraps; and
``ItemSessionState.begin_attempt`` renders the item as HTML after setting the attempt's state, which
pyslet cannot do for a ``textEntryInteraction`` (NotImplementedError, ignored).

``read_cartridge`` opens the whole zip with pyslet's content packaging; see CARTRIDGE_SCRIPT.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.peer_venvs import pinned_python

REQUIREMENTS = Path(__file__).with_name("pyslet-requirements.txt")


def pyslet_python() -> Path:
    """Pyslet's interpreter, installing it first if this checkout has not yet."""
    return pinned_python("pyslet", REQUIREMENTS)


# Runs in pyslet's interpreter. Input (stdin, JSON): {"qti": {name: xml text}, "attempts": [{"file",
# "item", "answer"}]} where an answer is the text of one option, a list of option texts (multiple
# response) or a typed string (fill-in). Output: per file, per item, what pyslet understood (its v2
# interaction, the choices, the cardinality and the correct response it found, the migration log) and
# the SCORE its response processing gives to each attempt.
SCRIPT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from pyslet.xml import structures
from pyslet.qtiv1.xml import QTIDocument
from pyslet.qtiv2 import variables, interactions
from pyslet.qtiv2.variables import Cardinality, BaseType

def get_or_add_child(self, child_class):
    for child in self.find_children_depth_first(child_class, max_depth=1):
        return child
    return self.add_child(child_class)

structures.Element.get_or_add_child = get_or_add_child

request = json.load(sys.stdin)
items = {}
out = {"items": {}, "scores": []}
for name, text in request["qti"].items():
    doc = QTIDocument()
    doc.read(src=text.encode("utf-8"))
    found = {}
    for v2, metadata, log in doc.root.migrate_to_v2():
        item = v2.root
        choices = {}
        interaction = []
        for element in item.find_children_depth_first(interactions.Interaction):
            interaction.append(element.__class__.__name__)
        for choice in item.find_children_depth_first(interactions.SimpleChoice):
            text = "".join(child for child in choice.get_children() if isinstance(child, str))
            choices[choice.identifier] = " ".join(text.split())
        declaration = item.ResponseDeclaration[0]
        correct = declaration.get_correct_value()
        value = correct.value
        if isinstance(value, dict):
            value = sorted(value)
        found[item.identifier] = {
            "interactions": interaction,
            "choices": choices,
            "cardinality": Cardinality.to_str(declaration.cardinality),
            "base_type": BaseType.to_str(declaration.baseType),
            "correct": value,
            "log": log,
        }
        items[(name, item.identifier)] = (item, choices)
    out["items"][name] = found
for attempt in request["attempts"]:
    item, choices = items[(attempt["file"], attempt["item"])]
    by_text = {text: ident for ident, text in choices.items()}
    session = variables.ItemSessionState(item)
    session.begin_session()
    try:
        session.begin_attempt()  # sets the attempt's state, then renders the item body as HTML
    except NotImplementedError:
        pass  # pyslet renders no textEntryInteraction; the state is set before rendering starts
    declaration = item.ResponseDeclaration[0]
    answer = attempt["answer"]
    if isinstance(answer, list):
        answer = [by_text[text] for text in answer]
    elif choices:
        answer = by_text[answer]
    session[declaration.identifier].set_value(answer)
    session.end_attempt()
    out["scores"].append(session["SCORE"].value)
print(json.dumps(out))
"""


def read_qti(qti: dict[str, str], attempts: list[dict[str, Any]]) -> dict[str, Any]:
    """Have pyslet read the QTI files (name -> XML text) and score the attempts; see SCRIPT."""
    request = json.dumps({"qti": qti, "attempts": attempts})
    done = subprocess.run([str(pyslet_python()), "-c", SCRIPT], input=request, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# Runs in pyslet's interpreter, argv[1] the cartridge's zip. Pyslet's content packaging (IMS CP 1.2)
# unzips and reads imsmanifest.xml and builds its file table; its Common Cartridge profile module
# ships a conformance test suite (CCTestSuite: associated content and learning application objects,
# CC profile section 1.4). Pyslet binds the CP classes to CC 1.0 and 1.1's namespace (module
# imscc_profilev1p1 does it for 1.1 by subclassing); the first lines below do the same for CC 1.3's
# namespace, changing nothing else. Output: what pyslet read, as JSON.
CARTRIDGE_SCRIPT = r"""
import json, sys, unittest, warnings
warnings.simplefilter("ignore")
from pyslet import imscpv1p2 as imscp, imscc_profilev1p0 as cc10, imscc_profilev1p1 as cc11
from pyslet.xml import namespace as xmlns

NS = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LINKS = {"Metadata": {"SchemaClass": "Schema", "SchemaVersionClass": "SchemaVersion"},
         "Organizations": {"OrganizationClass": "Organization"},
         "Resource": {"MetadataClass": "Metadata", "FileClass": "File", "DependencyClass": "Dependency"},
         "Resources": {"ResourceClass": "Resource"},
         "Manifest": {"MetadataClass": "Metadata", "OrganizationsClass": "Organizations",
                      "ResourcesClass": "Resources", "ManifestClass": "Manifest"}}
classes = {}
for name in ("Schema", "SchemaVersion", "Metadata", "Organization", "Organizations", "File", "Dependency",
             "Resource", "Resources", "Manifest"):
    classes[name] = type(name, (getattr(cc11, name),), {"XMLNAME": (NS, getattr(imscp, name).XMLNAME[1])})
for name, attrs in LINKS.items():
    for attr, target in attrs.items():
        setattr(classes[name], attr, classes[target])

class ManifestDocument(xmlns.XMLNSDocument):
    classMap = {}
    def get_element_class(self, name):
        return ManifestDocument.classMap.get(name, ManifestDocument.classMap.get((name[0], None), xmlns.XMLNSElement))

xmlns.map_class_elements(ManifestDocument.classMap, classes)

class ContentPackage(imscp.ContentPackage):
    ManifestDocumentClass = ManifestDocument

def elements(parent, name):
    return [c for c in parent.get_children() if isinstance(c, xmlns.XMLNSElement) and c.xmlname == name]

def tree(parent):
    out = []
    for item in elements(parent, "item"):
        titles = elements(item, "title")
        out.append({"title": titles[0].get_value() if titles else None,
                    "ref": item.get_attribute("identifierref") if "identifierref" in [
                        key if isinstance(key, str) else key[1] for key in item.get_attributes()] else None,
                    "items": tree(item)})
    return out

cp = ContentPackage(sys.argv[1])
try:
    root = cp.manifest.root
    organizations = root.Organizations.Organization
    resources = [{"id": r.id, "type": r.type, "href": str(r.href) if r.href else None,
                  "files": [str(f.href) for f in r.File]} for r in root.Resources.Resource]
    missing = sorted(str(p) for p, files in cp.fileTable.items() if files and not cp.dPath.join(p).exists())
    unlisted = sorted(str(p) for p, files in cp.fileTable.items() if not files)
    cartridge = cc10.CommonCartridge(cp)
    result = unittest.TestResult()
    suite = cc10.CCTestSuite(cartridge)
    suite.run(result)
    out = {
        "root": type(root).__name__,
        "schema": root.Metadata.Schema.get_value(),
        "schemaversion": root.Metadata.SchemaVersion.get_value(),
        "structures": [org.get_attribute("structure") for org in organizations],
        "tree": [tree(org) for org in organizations],
        "resources": resources,
        "missing": missing,
        "unlisted": unlisted,
        "web_content": sorted(r.id for r in cartridge.cwcList),
        "learning_objects": sorted(cartridge.laoTable),
        "conformance_run": result.testsRun,
        "conformance_failures": [str(test) + ": " + trace[-500:] for test, trace in result.failures + result.errors],
    }
finally:
    cp.Close()
print(json.dumps(out))
"""


def read_cartridge(path: Path) -> dict[str, Any]:
    """Have pyslet open the cartridge zip at ``path``; see CARTRIDGE_SCRIPT."""
    done = subprocess.run([str(pyslet_python()), "-c", CARTRIDGE_SCRIPT, str(path)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result
