"""The printed forms of АРМ «Проверка сканера»: the scanner check report (прил. 18)."""
