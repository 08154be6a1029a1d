"""Real documents for the support form's tests: PDFs (reportlab, or built by hand to a size),
JPEG and PNG images (Pillow), and a PNG whose header claims a pixel flood."""

import io
import zlib

from PIL import Image
from reportlab.pdfgen import canvas

MIB = 1024 * 1024


def pdf_bytes(text="Certificate of incorporation"):
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return out.getvalue()


def padded_pdf(pad):
    """A well-formed PDF of about `pad` bytes: the padding is a stream object of its own."""
    out = bytearray(b"%PDF-1.4\n")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
               b"<< /Length %d >>\nstream\n" % pad + b"0" * pad + b"\nendstream"]
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def image_bytes(fmt, size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header says `width` × `height`: a pixel flood."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    data[16:20], data[20:24] = width.to_bytes(4, "big"), height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)
