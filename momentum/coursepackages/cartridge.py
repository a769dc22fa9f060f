"""``imsmanifest.xml``: the IMS Common Cartridge 1.3 manifest, written and read.

Written (Momentum's export):

    <manifest>                      CC 1.3 content-packaging namespace, schema "IMS Common Cartridge" 1.3.0
      <metadata>                    LOM (manifest profile): the course's title, description, language
      <organizations>
        <organization structure="rooted-hierarchy">
          <item>                    the root
            <item>Day N: title      one per lesson (day), holding
              <item> -> webcontent  the lesson page (lessons/day-NN.html: sanitised HTML, its video and
                                    caption files listed in the same resource: associated content)
              <item> -> assessment  the day's quiz (imsqti_xmlv1p2/imscc_xmlv1p3/assessment)
      <resources>                   + one webcontent resource holding momentum.json and the thumbnail

Read (any CC 1.0-1.3 cartridge, Moodle's and Canvas's included): elements by local name; the
organization's top-level items (modules, weeks, topics) become the days, their leaf items point at
resources by ``identifierref``; ``xml:base`` on a resource is honoured for its file paths.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from momentum.coursepackages.safe_xml import child, children, first, text_of

CP_NS = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOMM_NS = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
LOMR_NS = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = (
    f"{CP_NS} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd "
    f"{LOMM_NS} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd "
    f"{LOMR_NS} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lomresource_v1p0.xsd"
)
WEBCONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"


# --- Writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    identifier: str
    type: str
    files: list[str]
    href: str | None = None


@dataclass(frozen=True)
class DayItem:
    identifier: str
    title: str
    leaves: list[tuple[str, str]]  # (title, resource identifier)


@dataclass(frozen=True)
class ManifestToWrite:
    identifier: str
    title: str
    description: str
    language: str
    days: list[DayItem]
    resources: list[Resource]


def _cp(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CP_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _lom_string(parent: etree._Element, tag: str, text: str, language: str) -> None:
    holder = etree.SubElement(parent, f"{{{LOMM_NS}}}{tag}")
    string = etree.SubElement(holder, f"{{{LOMM_NS}}}string", {"language": language})
    string.text = text


def manifest_xml(manifest: ManifestToWrite) -> bytes:
    root = etree.Element(
        f"{{{CP_NS}}}manifest", {"identifier": manifest.identifier},
        nsmap={None: CP_NS, "lomimscc": LOMM_NS, "lom": LOMR_NS, "xsi": XSI_NS},
    )  # fmt: skip
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    metadata = _cp(root, "metadata")
    _cp(metadata, "schema", "IMS Common Cartridge")
    _cp(metadata, "schemaversion", "1.3.0")
    general = etree.SubElement(etree.SubElement(metadata, f"{{{LOMM_NS}}}lom"), f"{{{LOMM_NS}}}general")
    _lom_string(general, "title", manifest.title, manifest.language)
    language = etree.SubElement(general, f"{{{LOMM_NS}}}language")
    language.text = manifest.language
    if manifest.description:
        _lom_string(general, "description", manifest.description, manifest.language)
    organization = _cp(_cp(root, "organizations"), "organization", identifier="org_1", structure="rooted-hierarchy")
    top = _cp(organization, "item", identifier="root")
    for day in manifest.days:
        day_item = _cp(top, "item", identifier=day.identifier)
        _cp(day_item, "title", day.title)
        for number, (title, reference) in enumerate(day.leaves, start=1):
            leaf = _cp(day_item, "item", identifier=f"{day.identifier}_{number}", identifierref=reference)
            _cp(leaf, "title", title)
    resources = _cp(root, "resources")
    for resource in manifest.resources:
        attributes = {"identifier": resource.identifier, "type": resource.type}
        if resource.href:
            attributes["href"] = resource.href
        element = _cp(resources, "resource", **attributes)
        for name in resource.files:
            _cp(element, "file", href=name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadResource:
    identifier: str
    type: str
    href: str  # the launch file, relative to the package root ("" when none)
    files: list[str]


@dataclass
class Module:
    title: str
    leaves: list[tuple[str, str]] = field(default_factory=list)  # (title, resource identifier)


@dataclass
class ReadManifest:
    title: str
    description: str
    modules: list[Module]
    resources: dict[str, ReadResource]


def _join(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, href)) if href else ""


def read_manifest(root: etree._Element) -> ReadManifest:
    general = first(first(root, "metadata") if first(root, "metadata") is not None else root, "general")
    title = description = ""
    if general is not None:
        title = text_of(first(child(general, "title"), "string")) if child(general, "title") is not None else ""
        if child(general, "description") is not None:
            description = text_of(first(child(general, "description"), "string"))
    resources: dict[str, ReadResource] = {}
    holder = child(root, "resources")
    for element in children(holder, "resource") if holder is not None else []:
        base = element.get(f"{{{XML_NS}}}base") or ""
        identifier = element.get("identifier") or ""
        resources[identifier] = ReadResource(
            identifier=identifier,
            type=(element.get("type") or "").strip(),
            href=_join(base, element.get("href") or ""),
            files=[_join(base, file.get("href") or "") for file in children(element, "file") if file.get("href")],
        )
    organization = first(root, "organization")
    modules: list[Module] = []
    if organization is not None:
        if not title:
            title = text_of(child(organization, "title"))
        tops = children(organization, "item")
        # A rooted hierarchy: one item without a resource holding the modules.
        if len(tops) == 1 and not tops[0].get("identifierref") and children(tops[0], "item"):
            tops = children(tops[0], "item")
        for item in tops:
            module = Module(title=text_of(child(item, "title")))
            _collect(item, module)
            if module.leaves:
                modules.append(module)
    return ReadManifest(title=title, description=description, modules=modules, resources=resources)


def _collect(item: etree._Element, module: Module) -> None:
    reference = item.get("identifierref")
    if reference:
        module.leaves.append((text_of(child(item, "title")), reference))
    for inner in children(item, "item"):
        _collect(inner, module)


def weblink(root: etree._Element) -> tuple[str, str]:
    """(title, url) of a CC web link document (imswl_xmlv1pN)."""
    url = first(root, "url")
    return text_of(first(root, "title")), (url.get("href") or "") if url is not None else ""
