"""What a council's Excel adds to a register over the years, added here the way Excel writes it.

Each addition is made by editing the package's XML with lxml, with the parts,
relationships, content types and extension-list URIs Excel uses (ECMA-376,
MS-XLSX, MS-OFFCRYPTO/MS-OVBA for the signature, and the Purview label part):

- a DrawingML shape used as a button, with a macro assigned (xdr:sp macro=...);
- x14 data validations pointing at another sheet, x14 data bars and icon sets, in the Register's extLst;
- a sparkline group on the Dashboard;
- a table slicer on the RAG column (slicer and slicer cache parts, drawing frame, workbook and sheet extLst);
- the VBA project's digital signature (vbaProjectSignature.bin, its relationship and content type);
- a custom ribbon (customUI/customUI14.xml with its package relationship);
- a threaded comment with its person, and the legacy note Excel keeps beside it;
- a sensitivity label (docMetadata/LabelInfo.xml, as Microsoft Purview writes it);
- rich text runs in the shared strings, shown in a cell;
- control records (xl/ctrlProps) for a form control.

`ADDED_PARTS` are the parts that did not exist before; `MARKERS` strings that
must still be in the named part after any command.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
X15 = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

LABEL_ID = "{3c5a1f4e-0f1b-4c7e-9d2a-6b8e5f7a9c01}"
SITE_ID = "{a7d2c9e4-5b3f-4e6a-8c1d-2f9b7e4a6d30}"
THREAD_ID = "{6B2E1A7C-3D4F-4A5B-9C8D-1E2F3A4B5C6D}"
PERSON_ID = "{0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0}"
BAR_ID = "{9A8B7C6D-5E4F-4321-8765-43210FEDCBA9}"
ICON_ID = "{1A2B3C4D-5E6F-4789-8ABC-DEF012345678}"
SIGNATURE = b"\x30\x82\x05\xd1\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02" + bytes(range(256)) * 4  # a PKCS#7 blob's start
RICH_TEXT = ("Team note: ", "check consent before any letter")

ADDED_PARTS = (
    "xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels",
    "xl/slicers/slicer1.xml", "xl/slicerCaches/slicerCache1.xml",
    "xl/vbaProjectSignature.bin", "xl/_rels/vbaProject.bin.rels",
    "customUI/customUI14.xml",
    "xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml",
    "docMetadata/LabelInfo.xml",
    "xl/ctrlProps/ctrlProp1.xml",
)

# part -> strings that show the addition is still there (and still connected)
MARKERS = {
    "[Content_Types].xml": ["application/vnd.ms-excel.slicer+xml", "application/vnd.ms-excel.slicerCache+xml",
                            "application/vnd.ms-office.vbaProjectSignature", "application/vnd.ms-excel.threadedcomments+xml",
                            "application/vnd.ms-excel.person+xml", "application/vnd.ms-office.classificationlabels+xml",
                            "application/vnd.ms-excel.controlproperties+xml", "application/vnd.openxmlformats-officedocument.drawing+xml"],
    "_rels/.rels": ["relationships/ui/extensibility", "2020/02/relationships/classificationlabels"],
    "xl/_rels/workbook.xml.rels": ["2007/relationships/slicerCache", "2017/10/relationships/person"],
    "xl/_rels/vbaProject.bin.rels": ["relationships/vbaProjectSignature"],
    "xl/workbook.xml": ["{46BE6895-7355-4a93-B00E-2C351335B9C9}", "Slicer_RAG"],
    "xl/drawings/drawing1.xml": ['macro="[0]!refresh_register"', "Refresh (team button)", "sle15"],
    "xl/sharedStrings.xml": ["<r><rPr><b/>", RICH_TEXT[1]],
    "docMetadata/LabelInfo.xml": [LABEL_ID],
}
REGISTER_MARKERS = ["{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}", "Lists!$C$2:$C$14", "{78C0D931-6437-407d-A8EE-F0AAD7539E65}",
                    BAR_ID, ICON_ID, "3Flags", "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}", "<controls>", "refresh_register",
                    '<drawing r:id="rIdTeam1"/>']
DASHBOARD_MARKERS = ["{05C60535-1F16-4fd2-B633-F4F36F0B64E0}", "<xm:f>Dashboard!B6:E6</xm:f>"]


def _xml(data: bytes):
    return etree.fromstring(data)


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _frag(text: str):
    return etree.fromstring(text)


def _rel(rels, rid: str, type_: str, target: str) -> None:
    etree.SubElement(rels, f"{{{PR}}}Relationship", Id=rid, Type=type_, Target=target)


def _override(types, part: str, content_type: str) -> None:
    etree.SubElement(types, f"{{{CT}}}Override", PartName=part, ContentType=content_type)


def _empty_rels() -> etree._Element:
    return etree.Element(f"{{{PR}}}Relationships", nsmap={None: PR})


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    book = _xml(parts["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target") for r in _xml(parts["xl/_rels/workbook.xml.rels"])}
    return {s.get("name"): "xl/" + rels[s.get(f"{{{R}}}id")] for s in book.iter(f"{{{MAIN}}}sheet")}


def _insert_in_order(root, element, before: tuple[str, ...]) -> None:
    """Put `element` before the first child named in `before` (the schema's order), else at the end."""
    for i, child in enumerate(root):
        if etree.QName(child).localname in before:
            root.insert(i, element)
            return
    root.append(element)


def _ext_list(root):
    ext = root.find(f"{{{MAIN}}}extLst")
    if ext is None:
        ext = etree.SubElement(root, f"{{{MAIN}}}extLst")
    return ext


def add_everything(path: str | Path) -> Path:
    """Add every addition above to the register at `path`, in place."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i) for i in infos}
    sheets = _sheet_parts(parts)
    register, dashboard = sheets["Register"], sheets["Dashboard"]
    types = _xml(parts["[Content_Types].xml"])
    book_rels = _xml(parts["xl/_rels/workbook.xml.rels"])
    root_rels = _xml(parts["_rels/.rels"])
    reg_rels_name = register.replace("worksheets/", "worksheets/_rels/") + ".rels"
    reg_rels = _xml(parts[reg_rels_name]) if reg_rels_name in parts else _empty_rels()

    # rich text in the shared strings, shown in Register!H1
    sst = _xml(parts["xl/sharedStrings.xml"])
    si = _frag(
        f'<si xmlns="{MAIN}"><r><rPr><b/><sz val="11"/><color rgb="FFC00000"/><rFont val="Calibri"/><family val="2"/></rPr>'
        f'<t xml:space="preserve">{RICH_TEXT[0]}</t></r><r><rPr><i/><sz val="11"/><color theme="1"/><rFont val="Calibri"/>'
        f'<family val="2"/><scheme val="minor"/></rPr><t>{RICH_TEXT[1]}</t></r></si>'
    )
    sst.append(si)
    index = len(sst.findall(f"{{{MAIN}}}si")) - 1
    sst.set("uniqueCount", str(index + 1))
    sst.set("count", str(int(sst.get("count", index)) + 1))
    parts["xl/sharedStrings.xml"] = _bytes(sst)

    # --- the Register sheet -------------------------------------------------------------
    ws = _xml(parts[register])
    ws.set(f"{{{MC}}}Ignorable", "x14ac")  # as Excel writes its root (namespaces declared below)
    ws = _with_namespaces(ws, {"mc": MC, "x14ac": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"})
    first_row = ws.find(f"{{{MAIN}}}sheetData/{{{MAIN}}}row")
    cell = etree.Element(f"{{{MAIN}}}c", r="H1", t="s")
    etree.SubElement(cell, f"{{{MAIN}}}v").text = str(index)
    later = [c for c in first_row if _col(c.get("r")) > 8]
    (later[0].addprevious(cell) if later else first_row.append(cell))
    first_row.set(f"{{{'http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac'}}}dyDescent", "0.25")

    # a data bar (the 2007 rule, with its x14 twin in the extLst) on Working days left
    wdl = _column_of(ws, parts, "Working days left")
    rag = _column_of(ws, parts, "RAG")
    ethnicity = _column_of(ws, parts, "Complainant ethnicity")
    bar = _frag(
        f'<conditionalFormatting xmlns="{MAIN}" sqref="{wdl}4:{wdl}20003"><cfRule type="dataBar" priority="90">'
        f'<dataBar><cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar>'
        f'<extLst><ext xmlns:x14="{X14}" uri="{{B025F937-C7B1-47D3-B67F-A62EFF666E3E}}"><x14:id>{BAR_ID}</x14:id></ext></extLst>'
        f'</cfRule></conditionalFormatting>'
    )
    _insert_in_order(ws, bar, ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                               "drawing", "legacyDrawing", "controls", "tableParts", "extLst"))
    drawing = etree.Element(f"{{{MAIN}}}drawing")
    drawing.set(f"{{{R}}}id", "rIdTeam1")
    _insert_in_order(ws, drawing, ("legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                                   "webPublishItems", "tableParts", "extLst"))
    controls = _frag(
        f'<mc:AlternateContent xmlns:mc="{MC}" xmlns="{MAIN}" xmlns:r="{R}"><mc:Choice Requires="x14"><controls>'
        f'<mc:AlternateContent><mc:Choice Requires="x14"><control shapeId="5121" r:id="rIdTeam3" name="Button 1">'
        f'<controlPr defaultSize="0" print="0" autoFill="0" autoPict="0" macro="[0]!refresh_register">'
        f'<anchor moveWithCells="1" sizeWithCells="1"><from><xdr:col xmlns:xdr="{XDR}">12</xdr:col><xdr:colOff xmlns:xdr="{XDR}">0</xdr:colOff>'
        f'<xdr:row xmlns:xdr="{XDR}">0</xdr:row><xdr:rowOff xmlns:xdr="{XDR}">0</xdr:rowOff></from>'
        f'<to><xdr:col xmlns:xdr="{XDR}">14</xdr:col><xdr:colOff xmlns:xdr="{XDR}">0</xdr:colOff>'
        f'<xdr:row xmlns:xdr="{XDR}">1</xdr:row><xdr:rowOff xmlns:xdr="{XDR}">0</xdr:rowOff></to></anchor>'
        f'</controlPr></control></mc:Choice></mc:AlternateContent></controls></mc:Choice></mc:AlternateContent>'
    )
    _insert_in_order(ws, controls, ("webPublishItems", "tableParts", "extLst"))
    ext = _ext_list(ws)
    ext.append(_frag(
        f'<ext xmlns="{MAIN}" xmlns:x14="{X14}" uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}"><x14:conditionalFormattings>'
        f'<x14:conditionalFormatting xmlns:xm="{XM}"><x14:cfRule type="dataBar" id="{BAR_ID}"><x14:dataBar minLength="0" maxLength="100" '
        f'gradient="0" negativeBarColorSameAsPositive="0" axisPosition="middle"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/>'
        f'<x14:negativeFillColor rgb="FFFF0000"/><x14:axisColor rgb="FF000000"/></x14:dataBar></x14:cfRule>'
        f'<xm:sqref>{wdl}4:{wdl}20003</xm:sqref></x14:conditionalFormatting>'
        f'<x14:conditionalFormatting xmlns:xm="{XM}"><x14:cfRule type="iconSet" priority="91" id="{ICON_ID}">'
        f'<x14:iconSet iconSet="3Flags" custom="1"><x14:cfvo type="percent"><xm:f>0</xm:f></x14:cfvo>'
        f'<x14:cfvo type="num"><xm:f>0</xm:f></x14:cfvo><x14:cfvo type="num"><xm:f>5</xm:f></x14:cfvo>'
        f'<x14:cfIcon iconSet="3Flags" iconId="2"/><x14:cfIcon iconSet="3Flags" iconId="1"/><x14:cfIcon iconSet="NoIcons" iconId="0"/>'
        f'</x14:iconSet></x14:cfRule><xm:sqref>{wdl}4:{wdl}20003</xm:sqref></x14:conditionalFormatting>'
        f'</x14:conditionalFormattings></ext>'
    ))
    ext.append(_frag(
        f'<ext xmlns="{MAIN}" xmlns:x14="{X14}" uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}"><x14:dataValidations count="1" xmlns:xm="{XM}">'
        f'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1><xm:f>Lists!$C$2:$C$14</xm:f>'
        f'</x14:formula1><xm:sqref>{ethnicity}20004:{ethnicity}20100</xm:sqref></x14:dataValidation></x14:dataValidations></ext>'
    ))
    ext.append(_frag(
        f'<ext xmlns="{MAIN}" xmlns:x15="{X15}" uri="{{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}}">'
        f'<x14:slicerList xmlns:x14="{X14}" xmlns:r="{R}"><x14:slicer r:id="rIdTeam2"/></x14:slicerList></ext>'
    ))
    parts[register] = _bytes(ws)
    _rel(reg_rels, "rIdTeam1", f"{R}/drawing", "../drawings/drawing1.xml")
    _rel(reg_rels, "rIdTeam2", "http://schemas.microsoft.com/office/2007/relationships/slicer", "../slicers/slicer1.xml")
    _rel(reg_rels, "rIdTeam3", f"{R}/ctrlProp", "../ctrlProps/ctrlProp1.xml")
    _rel(reg_rels, "rIdTeam4", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment", "../threadedComments/threadedComment1.xml")
    parts[reg_rels_name] = _bytes(reg_rels)

    # the drawing: a rounded rectangle with a macro (a button officers made), and the slicer's frame
    parts["xl/drawings/drawing1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">'
        f'<xdr:twoCellAnchor editAs="absolute"><xdr:from><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>38100</xdr:rowOff></xdr:from>'
        f'<xdr:to><xdr:col>11</xdr:col><xdr:colOff>304800</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        f'<xdr:sp macro="[0]!refresh_register" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="Rounded Rectangle 1"/><xdr:cNvSpPr/></xdr:nvSpPr>'
        f'<xdr:spPr><a:xfrm><a:off x="6096000" y="38100"/><a:ext cx="1524000" cy="342900"/></a:xfrm><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="1F4E78"/></a:solidFill></xdr:spPr>'
        f'<xdr:style><a:lnRef idx="2"><a:schemeClr val="accent1"><a:shade val="50000"/></a:schemeClr></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef>'
        f'<a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></xdr:style>'
        f'<xdr:txBody><a:bodyPr vertOverflow="clip" horzOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/>'
        f'<a:r><a:rPr lang="en-GB" sz="1100"/><a:t>Refresh (team button)</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>'
        f'<mc:AlternateContent xmlns:mc="{MC}"><mc:Choice xmlns:sle15="http://schemas.microsoft.com/office/drawing/2012/slicer" Requires="sle15">'
        f'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>15</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        f'<xdr:to><xdr:col>17</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="3" name="RAG"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        f'<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/drawing/2010/slicer">'
        f'<sle:slicer xmlns:sle="http://schemas.microsoft.com/office/drawing/2010/slicer" name="RAG"/></a:graphicData></a:graphic></xdr:graphicFrame>'
        f'<xdr:clientData/></xdr:twoCellAnchor></mc:Choice><mc:Fallback><xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>15</xdr:col><xdr:colOff>0</xdr:colOff>'
        f'<xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>17</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="0" name=""/><xdr:cNvSpPr><a:spLocks noTextEdit="1"/></xdr:cNvSpPr></xdr:nvSpPr>'
        f'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="2524125"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
        f'<xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB" sz="1100"/><a:t>This shape represents a table slicer.</a:t></a:r></a:p></xdr:txBody>'
        f'</xdr:sp><xdr:clientData/></xdr:twoCellAnchor></mc:Fallback></mc:AlternateContent></xdr:wsDr>'
    ).encode()
    parts["xl/drawings/_rels/drawing1.xml.rels"] = _bytes(_empty_rels())
    _override(types, "/xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml")

    # the slicer on the register Table's RAG column
    parts["xl/slicers/slicer1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<slicers xmlns="{X14}" xmlns:mc="{MC}" mc:Ignorable="x xr10" '
        f'xmlns:x="{MAIN}" xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10">'
        f'<slicer name="RAG" xr10:uid="{{5C0E1D2F-3A4B-4C5D-8E6F-7A8B9C0D1E2F}}" cache="Slicer_RAG" caption="RAG" rowHeight="241300"/></slicers>'
    ).encode()
    rag_index = _table_column_index(parts, "RAG")
    parts["xl/slicerCaches/slicerCache1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<slicerCacheDefinition xmlns="{X14}" xmlns:mc="{MC}" mc:Ignorable="x" '
        f'xmlns:x="{MAIN}" name="Slicer_RAG" sourceName="RAG"><extLst><x:ext uri="{{2F2917AC-EB37-4324-AD4E-5DD8C200BD13}}" '
        f'xmlns:x15="{X15}"><x15:tableSlicerCache tableId="1" column="{rag_index}"/></x:ext></extLst></slicerCacheDefinition>'
    ).encode()
    _override(types, "/xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml")
    _override(types, "/xl/slicerCaches/slicerCache1.xml", "application/vnd.ms-excel.slicerCache+xml")
    _rel(book_rels, "rIdTeam10", "http://schemas.microsoft.com/office/2007/relationships/slicerCache", "slicerCaches/slicerCache1.xml")
    book = _xml(parts["xl/workbook.xml"])
    names = book.find(f"{{{MAIN}}}definedNames")
    etree.SubElement(names, f"{{{MAIN}}}definedName", name="Slicer_RAG").text = "#N/A"
    _ext_list(book).append(_frag(
        f'<ext xmlns="{MAIN}" xmlns:x15="{X15}" uri="{{46BE6895-7355-4a93-B00E-2C351335B9C9}}">'
        f'<x15:slicerCaches xmlns:x14="{X14}" xmlns:r="{R}"><x14:slicerCache r:id="rIdTeam10"/></x15:slicerCaches></ext>'
    ))
    parts["xl/workbook.xml"] = _bytes(book)

    # the VBA project's signature
    parts["xl/vbaProjectSignature.bin"] = SIGNATURE
    vba_rels = _empty_rels()
    _rel(vba_rels, "rId1", "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature", "vbaProjectSignature.bin")
    parts["xl/_rels/vbaProject.bin.rels"] = _bytes(vba_rels)
    _override(types, "/xl/vbaProjectSignature.bin", "application/vnd.ms-office.vbaProjectSignature")

    # a custom ribbon tab
    parts["customUI/customUI14.xml"] = (
        '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs><tab id="tabComplaints" label="Complaints">'
        '<group id="grpRegister" label="Register"><button id="btnRefresh" label="Refresh" size="large" imageMso="Refresh" onAction="refresh_register"/>'
        '</group></tab></tabs></ribbon></customUI>'
    ).encode()
    _rel(root_rels, "rIdTeam20", "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility", "customUI/customUI14.xml")

    # a threaded comment on the first Reference, with its person and the note Excel keeps for older versions
    parts["xl/threadedComments/threadedComment1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        f'xmlns:x="{MAIN}"><threadedComment ref="A4" dT="2024-05-02T09:41:17.33" personId="{PERSON_ID}" id="{THREAD_ID}">'
        f'<text>Chased the service manager for the chronology.</text></threadedComment></ThreadedComments>'
    ).encode()
    parts["xl/persons/person.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
        f'xmlns:x="{MAIN}"><person displayName="Complaints Officer" id="{PERSON_ID}" userId="complaints.officer@example.gov.uk" providerId="AD"/></personList>'
    ).encode()
    _override(types, "/xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml")
    _override(types, "/xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
    _rel(book_rels, "rIdTeam11", "http://schemas.microsoft.com/office/2017/10/relationships/person", "persons/person.xml")
    comments_name = next((n for n in parts if n.startswith("xl/comments") and n.endswith(".xml")), None)
    if comments_name:
        comments = _xml(parts[comments_name])
        authors = comments.find(f"{{{MAIN}}}authors")
        etree.SubElement(authors, f"{{{MAIN}}}author").text = f"tc={THREAD_ID}"
        note = _frag(
            f'<comment xmlns="{MAIN}" ref="A4" authorId="{len(authors) - 1}" shapeId="0"><text><t>[Threaded comment]\n\nYour version of Excel '
            f'allows you to read this threaded comment; however, any edits to it will get removed if the file is opened in a newer version of Excel.\n\n'
            f'Comment:\n    Chased the service manager for the chronology.</t></text></comment>'
        )
        comments.find(f"{{{MAIN}}}commentList").append(note)
        parts[comments_name] = _bytes(comments)
        vml_name = next(n for n in parts if n.endswith(".vml"))
        vml = parts[vml_name].decode("utf-8")
        shape = re.search(r'<v:shape\b[^>]*#_x0000_t202.*?</v:shape>', vml, re.S).group(0)
        shape = re.sub(r'id="_x0000_s\d+"', 'id="_x0000_s5200"', shape, count=1)
        shape = re.sub(r"<x:Row>\d+</x:Row>", "<x:Row>3</x:Row>", shape)
        shape = re.sub(r"<x:Column>\d+</x:Column>", "<x:Column>0</x:Column>", shape)
        parts[vml_name] = vml.replace("</xml>", shape + "</xml>").encode("utf-8")

    # the sensitivity label, as Microsoft Purview writes it
    parts["docMetadata/LabelInfo.xml"] = (
        f'<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
        f'<clbl:label id="{LABEL_ID}" enabled="1" method="Privileged" siteId="{SITE_ID}" contentBits="0" removed="0" /></clbl:labelList>'
    ).encode()
    _rel(root_rels, "rIdTeam21", "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels", "docMetadata/LabelInfo.xml")
    _override(types, "/docMetadata/LabelInfo.xml", "application/vnd.ms-office.classificationlabels+xml")

    # the form control's record
    parts["xl/ctrlProps/ctrlProp1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns="{X14}" objectType="Button" lockText="1"/>'
    ).encode()
    _override(types, "/xl/ctrlProps/ctrlProp1.xml", "application/vnd.ms-excel.controlproperties+xml")

    # --- a sparkline group on the Dashboard ---------------------------------------------------
    dash = _xml(parts[dashboard])
    _ext_list(dash).append(_frag(
        f'<ext xmlns="{MAIN}" xmlns:x14="{X14}" uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}"><x14:sparklineGroups xmlns:xm="{XM}">'
        f'<x14:sparklineGroup type="column" displayEmptyCellsAs="gap" high="1"><x14:colorSeries rgb="FF376092"/><x14:colorNegative rgb="FFD00000"/>'
        f'<x14:colorAxis rgb="FF000000"/><x14:colorMarkers rgb="FFD00000"/><x14:colorFirst rgb="FFD00000"/><x14:colorLast rgb="FFD00000"/>'
        f'<x14:colorHigh rgb="FFD00000"/><x14:colorLow rgb="FFD00000"/><x14:sparklines><x14:sparkline><xm:f>Dashboard!B6:E6</xm:f>'
        f'<xm:sqref>J6</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext>'
    ))
    parts[dashboard] = _bytes(dash)

    parts["xl/_rels/workbook.xml.rels"] = _bytes(book_rels)
    parts["_rels/.rels"] = _bytes(root_rels)
    parts["[Content_Types].xml"] = _bytes(types)

    order = [i.filename for i in infos] + [p for p in ADDED_PARTS if p not in {i.filename for i in infos}]
    if reg_rels_name not in order:
        order.append(reg_rels_name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in order:
            out.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 2, 9, 41, 16)), parts[name], zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return path


def _with_namespaces(root, extra: dict[str, str]):
    """The same element with more namespace declarations on it (lxml cannot add them in place)."""
    nsmap = dict(root.nsmap)
    nsmap.update(extra)
    new = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    new.extend(list(root))
    return new


def _col(ref: str) -> int:
    n = 0
    for ch in ref:
        if ch.isalpha():
            n = n * 26 + ord(ch.upper()) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _table_column_index(parts: dict[str, bytes], header: str) -> int:
    table = _xml(next(v for k, v in parts.items() if k.startswith("xl/tables/")))
    names = [c.get("name") for c in table.iter(f"{{{MAIN}}}tableColumn")]
    return names.index(header) + 1


def _column_of(ws, parts, header: str) -> str:
    """The Register's column letter for a header (the Table knows its columns' order)."""
    table = _xml(next(v for k, v in parts.items() if k.startswith("xl/tables/")))
    start = _col(table.get("ref").split(":")[0])
    return _letters(start + _table_column_index(parts, header) - 1)


def markers_missing(path: str | Path) -> list[str]:
    """Every addition that is no longer in the file (empty when all are there)."""
    missing = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for part in ADDED_PARTS:
            if part not in names:
                missing.append(f"part {part}")
        book = _xml(z.read("xl/workbook.xml"))
        rels = {r.get("Id"): r.get("Target") for r in _xml(z.read("xl/_rels/workbook.xml.rels"))}
        sheets = {s.get("name"): "xl/" + rels[s.get(f"{{{R}}}id")] for s in book.iter(f"{{{MAIN}}}sheet")}
        wanted = dict(MARKERS)
        wanted[sheets["Register"]] = REGISTER_MARKERS
        wanted[sheets["Dashboard"]] = DASHBOARD_MARKERS
        for part, strings in wanted.items():
            text = z.read(part).decode("utf-8") if part in names else ""
            missing += [f"{s!r} in {part}" for s in strings if s not in text]
        if "xl/vbaProjectSignature.bin" in names and z.read("xl/vbaProjectSignature.bin") != SIGNATURE:
            missing.append("the VBA signature's bytes")
    return missing
