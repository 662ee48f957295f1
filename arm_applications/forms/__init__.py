"""Printed forms of АРМ «Заявления ЕНТ», laid out with ``common.reports``."""
