# Times as Canadian French writes them, "14 h 30". Django 5.2's own fr_CA formats write the "h"
# unescaped ("H\xa0h\xa0i"), which the date syntax reads as the 12-hour hour: "14 02 30". Every
# other format is Django's fr_CA one (dates "2 février 2027", decimal comma, no-break spaces).
TIME_FORMAT = "H\xa0\\h\xa0i"  # '14 h 30'
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # '25 octobre 2006, 14 h 30'
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # '2006-10-25 14 h 30'
