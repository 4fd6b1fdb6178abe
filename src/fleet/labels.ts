// Asset labels: a QR code of the camera's serial (what the stores desk's scanner reads) with the
// asset tag printed under it, one label or a printable sheet of them; a dock's label is the same
// format with its id in the code and its station under it. Rendered as SVG so it prints sharp at
// any size; the QR matrix comes from the `qrcode` library.
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

/** What one label shows: the code the scanner reads, a bold line and a small line under it. */
interface LabelFace {
  code: string;
  big: string;
  small: string;
}

const cameraFace = ({ serial, assetTag }: LabelInput): LabelFace => ({
  code: serial,
  big: assetTag,
  small: serial,
});

/** A dock's label: its id in the code (what a clerk scans) and printed, its station under it. */
export interface DockLabelInput {
  id: string;
  station: string;
}
const dockFace = ({ id, station }: DockLabelInput): LabelFace => ({
  code: id,
  big: id,
  small: `Dock at ${station}`,
});

/** The label's drawing (no outer <svg>), placed at x, y. */
async function labelBody({ code, big, small }: LabelFace, x: number, y: number): Promise<string> {
  // Medium error correction: survives scuffs on a label stuck to a camera that lives on a vest.
  const qr = await QRCode.toString(code, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const viewBox = /viewBox="([^"]+)"/.exec(qr)?.[1];
  const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(qr)?.[1];
  if (!viewBox || !inner) throw new Error('unexpected output from the QR library');
  const size = W - 2 * QUIET;
  return [
    `<g transform="translate(${x} ${y})">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<svg x="${QUIET}" y="${QUIET}" width="${size}" height="${size}" viewBox="${viewBox}" shape-rendering="crispEdges">${inner}</svg>`,
    `<text x="${W / 2}" y="${H - 28}" text-anchor="middle" font-family="DejaVu Sans Mono, monospace" font-size="26" font-weight="bold" fill="#000000">${escapeXml(big)}</text>`,
    `<text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-family="DejaVu Sans Mono, monospace" font-size="14" fill="#000000">${escapeXml(small)}</text>`,
    `</g>`,
  ].join('');
}

export async function labelSvg(camera: LabelInput): Promise<string> {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_MM.w}mm" height="${LABEL_MM.h}mm" viewBox="0 0 ${W} ${H}">`,
    `<title>${escapeXml(camera.assetTag)}</title>`,
    await labelBody(cameraFace(camera), 0, 0),
    `</svg>`,
  ].join('');
}

/** A sheet of camera labels, SHEET_COLUMNS across, in the order given (e.g. a station's cameras). */
export function labelSheetSvg(cameras: LabelInput[], title: string): Promise<string> {
  return sheetSvg(cameras.map(cameraFace), title);
}

/** A sheet of dock labels in the same format, in the order given. */
export function dockLabelSheetSvg(docks: DockLabelInput[], title: string): Promise<string> {
  return sheetSvg(docks.map(dockFace), title);
}

async function sheetSvg(faces: LabelFace[], title: string): Promise<string> {
  const rows = Math.max(1, Math.ceil(faces.length / SHEET_COLUMNS));
  const width = SHEET_COLUMNS * W + (SHEET_COLUMNS + 1) * GUTTER;
  const height = rows * H + (rows + 1) * GUTTER;
  const mm = LABEL_MM.w / W;
  const bodies = await Promise.all(
    faces.map((c, i) =>
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
