# Times on a 24-hour clock, as on the site; every other format is Django's en-CA one (ISO dates).
TIME_FORMAT = "H:i"  # '14:30'
DATETIME_FORMAT = "j M Y, H:i"  # '25 Oct 2006, 14:30'
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # '2006-10-25 14:30'
