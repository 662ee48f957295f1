"""The commands of ``ent-applications``: each does what a button of the window does, headless.

Every command runs in one transaction (:meth:`common.cli.CommandContext.transaction`): it either
does all of its work or, refused, writes nothing and exits 1 with one translated line.
"""
