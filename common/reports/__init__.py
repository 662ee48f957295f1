"""Printed forms for every workstation: a Qt-free reportlab toolkit.

Build a form with :class:`FormDocument` (A4 portrait or landscape, the standard header with the
appendix number, tables whose header repeats on each page, signature lines with «М.П.», «стр. N из
M»), then keep it with :func:`save_printed` (``printed/`` folder, atomic, audited)::

    document = FormDocument(FormHeader(title, appendix="28", site="017 — …"), "kk")
    document.table([Column("№", 0.4, "right", wrap=False), Column(name)], rows)
    document.signatures([Signature(tr("kk", "Site head"))])
    printed = save_printed(folder, "app28", document.build(), session=session, actor=operator)
"""

from common.reports.document import Align, BuiltForm, Column, FormDocument, FormHeader, Signature
from common.reports.fonts import register_fonts
from common.reports.printed import PrintedForm, printed_file_name, save_printed

__all__ = [
    "Align",
    "BuiltForm",
    "Column",
    "FormDocument",
    "FormHeader",
    "PrintedForm",
    "Signature",
    "printed_file_name",
    "register_fonts",
    "save_printed",
]
