// Asset labels: a QR code of the camera's serial (what the stores desk's scanner reads) with the
// asset tag printed under it, one label or a printable sheet of them. Rendered as SVG so it
// prints sharp at any size; the QR matrix comes from the `qrcode` library.
import QRCode from 'qrcode';

/** One label's drawing units; printed at LABEL_MM. */
const W = 240;
const H = 290;
const QUIET = 20; // quiet zone around the code, in modules' terms generous enough for scanners
const LABEL_MM = { w: 40, h: (40 * H) / W };
const SHEET_COLUMNS = 4;
const GUTTER = 36;

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

export interface LabelInput {
  serial: string;
  assetTag: string;
}

/** The label's drawing (no outer <svg>), placed at x, y. */
async function labelBody({ serial, assetTag }: LabelInput, x: number, y: number): Promise<string> {
  // Medium error correction: survives scuffs on a label stuck to a camera that lives on a vest.
  const qr = await QRCode.toString(serial, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const viewBox = /viewBox="([^"]+)"/.exec(qr)?.[1];
  const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(qr)?.[1];
  if (!viewBox || !inner) throw new Error('unexpected output from the QR library');
  const size = W - 2 * QUIET;
  return [
    `<g transform="translate(${x} ${y})">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<svg x="${QUIET}" y="${QUIET}" width="${size}" height="${size}" viewBox="${viewBox}" shape-rendering="crispEdges">${inner}</svg>`,
    `<text x="${W / 2}" y="${H - 28}" text-anchor="middle" font-family="DejaVu Sans Mono, monospace" font-size="26" font-weight="bold" fill="#000000">${escapeXml(assetTag)}</text>`,
    `<text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-family="DejaVu Sans Mono, monospace" font-size="14" fill="#000000">${escapeXml(serial)}</text>`,
    `</g>`,
  ].join('');
}

export async function labelSvg(camera: LabelInput): Promise<string> {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_MM.w}mm" height="${LABEL_MM.h}mm" viewBox="0 0 ${W} ${H}">`,
    `<title>${escapeXml(camera.assetTag)}</title>`,
    await labelBody(camera, 0, 0),
    `</svg>`,
  ].join('');
}

/** A sheet of labels, SHEET_COLUMNS across, in the order given (e.g. a station's cameras). */
export async function labelSheetSvg(cameras: LabelInput[], title: string): Promise<string> {
  const rows = Math.max(1, Math.ceil(cameras.length / SHEET_COLUMNS));
  const width = SHEET_COLUMNS * W + (SHEET_COLUMNS + 1) * GUTTER;
  const height = rows * H + (rows + 1) * GUTTER;
  const mm = LABEL_MM.w / W;
  const bodies = await Promise.all(
    cameras.map((c, i) =>
      labelBody(
        c,
        GUTTER + (i % SHEET_COLUMNS) * (W + GUTTER),
        GUTTER + Math.floor(i / SHEET_COLUMNS) * (H + GUTTER),
      ),
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${(width * mm).toFixed(1)}mm" height="${(height * mm).toFixed(1)}mm" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...bodies,
    `</svg>`,
  ].join('');
}
