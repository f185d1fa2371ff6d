"""The one place that reaches inside docxtpl and python-docx (their versions are pinned in pyproject.toml).

Why a seam at all: `DocxTemplate.render` re-reads and re-prepares the template
for every letter (about 40 ms each), too slow for a batch of hundreds (the
benchmark asks 50 letters a second). `PreparedTemplate` uses docxtpl's own
preparation once (joining the tags Word splits across runs, `patch_xml`) and
then costs a Jinja render and a zip write per letter; a test checks it gives
the same document as `DocxTemplate.render`. The template builder also needs a
few things python-docx has no public call for (those are in
files/docx_elements.py, with the statistics' Word drafts' needs), and the
template check needs the header and footer parts. Everything that touches
docxtpl's undocumented methods, or the document parts it holds (`_part`,
`_element`), is here and nowhere else; when docxtpl or python-docx is upgraded, run tests/test_letters.py
(which compares this renderer with docxtpl's public one) before moving the pins.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError, meta
from lxml import etree
from markupsafe import Markup

from .conditions import ENV
from .errors import LetterError

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # as python-docx writes: a letter's bytes depend only on its content
HEADER_FOOTER = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
_TABLE_TAGS = re.compile(r"\{%-?\s*(tc|tr)\b|colspan|cellbg|\{%\s*[vh]m\s*%\}")


def _logo_size(logo: Path) -> dict:
    """22 mm high, or 68 mm wide for a wide logo, so it fits the letterhead's cell."""
    from docx.image.image import Image

    try:
        image = Image.from_file(str(logo))
    except Exception:  # an unreadable image: let python-docx report it when placing it
        return {"height": Mm(22)}
    if image.px_height and image.px_width / image.px_height > 68 / 22:
        return {"width": Mm(68)}
    return {"height": Mm(22)}


def _header_footer_parts(tpl: DocxTemplate):
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in HEADER_FOOTER and not rel.is_external and rel.target_part.blob:
            yield rel.target_part


class PreparedTemplate:
    """A Word template prepared once by docxtpl and rendered many times."""

    def __init__(self, data: bytes, name: str = "template", logo: Path | None = None):
        self.name = name
        try:
            tpl = DocxTemplate(io.BytesIO(data))
            tpl.render_init()
        except Exception:  # python-docx raises several kinds for a file that is not a .docx
            raise LetterError(f"The template '{name}' cannot be read as a Word document (it is damaged, cut short or not a .docx): put a good copy back, or make the standard one again with 'xl-complaints templates build --force'.") from None
        self._tpl = tpl
        self._logo_xml = ""
        if logo is not None:
            tpl.current_rendering_part = tpl.docx._part
            try:
                self._logo_xml = InlineImage(tpl, str(logo), **_logo_size(logo))._insert_image()
            except Exception:  # python-docx's image errors share no base class
                raise LetterError("The logo file named on the Settings sheet cannot be read as an image: use a PNG or JPEG file.") from None

        whole = tpl.xml_to_string(tpl.docx._element)
        start = whole.index("<w:body")
        end = whole.rindex("</w:body>") + len("</w:body>")
        self._prefix, self._suffix = XML_DECLARATION + whole[:start], whole[end:]
        body_src = tpl.get_xml()
        self._fix_tables = bool(_TABLE_TAGS.search(body_src))
        self._parts: dict[str, object] = {}
        self._body = self._compile(tpl.patch_xml(body_src), "the letter")
        for part in _header_footer_parts(tpl):
            src = tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob)))
            self._parts[str(part.partname).lstrip("/")] = self._compile(src, "the header or footer")

        buffer = io.BytesIO()
        tpl.docx.save(buffer)  # the package with the logo's image part added
        # The parts no letter changes are compressed once, into a zip each letter's parts are appended to.
        rendered = {"word/document.xml", *self._parts}
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
            for info in package.infolist():
                if info.filename not in rendered:
                    out.writestr(info, package.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        self._base = base.getvalue()

    def _compile(self, src: str, where: str):
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        try:
            return ENV.from_string(src)
        except TemplateError as err:
            raise LetterError(f"The template '{self.name}' has a mistake in {where}: {err.message}.") from None

    def _finish(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self._tpl.resolve_listing(xml)

    def render_parts(self, context: dict) -> dict[str, bytes]:
        """The rendered XML parts, by name inside the .docx."""
        context = dict(context)
        context["logo"] = Markup(self._logo_xml) if self._logo_xml else ""
        try:
            body = self._finish(self._body.render(context))
            if self._fix_tables:
                body = self._tpl.xml_to_string(self._tpl.fix_tables(body))
            parts = {"word/document.xml": self._prefix + body + self._suffix}
            for name, template in self._parts.items():
                parts[name] = XML_DECLARATION + self._finish(template.render(context))
        except TemplateError as err:
            raise LetterError(f"The template '{self.name}' could not be filled: {err.message}. "
                              "Run 'xl-complaints templates check'.") from None
        out = {}
        for name, xml in parts.items():
            data = xml.encode("utf-8")
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError:
                raise LetterError(f"The template '{self.name}' produced a broken document; "
                                  "check its placeholders in Word.") from None
            out[name] = data
        return out

    def package(self, parts: dict[str, bytes]) -> bytes:
        """The .docx: the unchanged parts and the rendered ones."""
        buffer = io.BytesIO(self._base)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
            for name, data in parts.items():
                package.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


def header_footer_names(path: Path) -> set[str]:
    """The placeholders a template's headers and footers use (the logo cannot go there)."""
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    names: set[str] = set()
    for part in _header_footer_parts(tpl):
        names |= meta.find_undeclared_variables(ENV.parse(tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob)))))
    return names
