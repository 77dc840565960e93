"""The PySide6 shell: kiosk, staff console and merchandiser preview over the advisor core."""
