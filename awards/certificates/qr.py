"""QR codes as rows of dark runs, from zxing-cpp's compiled encoder (about 0.1 ms a code)."""

import zxingcpp


def qr_runs(text):
    """(modules per side, [(row, first column, length), …]) for the dark modules of text's QR code.

    Adjacent dark modules in a row are merged into one run, so a code is drawn as a few
    hundred rectangles in one path instead of a shape per module.
    """
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    rows, cols = image.shape
    data = image.tobytes()
    runs = []
    for r in range(rows):
        line = data[r * cols:(r + 1) * cols]
        start = line.find(b"\x00")  # 0 is dark, 255 light
        while start != -1:
            end = line.find(b"\xff", start)
            end = cols if end == -1 else end
            runs.append((r, start, end - start))
            start = line.find(b"\x00", end)
    return rows, runs
