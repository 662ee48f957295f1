"""The paper forms of АРМ «База ППЕНТ»: прил. 11, 12, 28 and the directory of schools (U1)."""
