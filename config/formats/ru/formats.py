"""Russian dates as the templates use them: «5 марта 2026 г.», times on the 24-hour clock."""

DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г. H:i"
