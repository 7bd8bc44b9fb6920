"""The working calendar: statutory days from chinesecalendar beside the company's own, and the years it knows."""
