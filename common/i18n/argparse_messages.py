"""argparse's own words — "usage:", the headings, its error messages — in the suite's catalogue.

argparse translates through gettext's domain ``argparse``, which has no Kazakh or Russian. The
:mod:`common.i18n` module routes argparse's ``_`` and ``ngettext`` through the suite's catalogue
(:func:`common.i18n.route_argparse`); this list keeps argparse's message ids (Python 3.11's, the ones
a user can see) in the catalogue, so the extractor does not drop them.
"""

from __future__ import annotations

from common.i18n import N_

ARGPARSE_MESSAGES: tuple[str, ...] = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),  # ngettext's singular …
    N_("expected %s arguments"),  # … and plural: both translated with one wording
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)
