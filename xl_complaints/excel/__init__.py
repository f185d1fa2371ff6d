"""The Excel adapter: building the workbook, its learning sheets, the xlwings UDFs and refresh."""
