// The redacted clip in a <video>, with the manifest's boxes drawn on a canvas over it, in step with
// the frame on screen (requestVideoFrameCallback gives the presented frame's own timestamp). While a
// missed face is being marked, the canvas takes the pointer (mouse, pen or touch): a drag draws the
// box, converted from the displayed size to the video's own pixels.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  boxesByFrame,
  contentRect,
  dragToBox,
  frameAt,
  toDisplay,
  type Boxes,
} from '../../lib/review/frames.js';
import type { Box, ManifestView } from '../../lib/review/types.js';

interface Props {
  src: string;
  manifest: ManifestView | null;
  fps: number | null;
  showBoxes: boolean;
  /** Drawing a missed face: the canvas takes the pointer and the video's controls are hidden. */
  marking: boolean;
  draft: Box | null;
  onDraft: (b: Box | null) => void;
  /** The frame on screen, reported when the player stops on one (pause, seek, load). */
  onFrame: (frame: number) => void;
  onVideo?: (v: HTMLVideoElement | null) => void;
  label: string;
}

const DETECTED = '#ffd400';
const DRAFT = '#00e5ff';

function stroke(ctx: CanvasRenderingContext2D, b: Box, colour: string, dashed = false) {
  ctx.setLineDash(dashed ? [6, 4] : []);
  // A dark line under the colour: visible on light and dark footage alike.
  ctx.lineWidth = 4;
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.strokeRect(b.x, b.y, b.w, b.h);
  ctx.lineWidth = 2;
  ctx.strokeStyle = colour;
  ctx.strokeRect(b.x, b.y, b.w, b.h);
}

export function Player({
  src,
  manifest,
  fps,
  showBoxes,
  marking,
  draft,
  onDraft,
  onFrame,
  onVideo,
  label,
}: Props) {
  const video = useRef<HTMLVideoElement | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const boxes = useMemo(() => (manifest ? boxesByFrame(manifest) : new Map<number, Boxes>()), [manifest]);

  const size = useCallback(() => {
    const v = video.current;
    if (!v) return null;
    const pixels = manifest
      ? { w: manifest.input.width, h: manifest.input.height }
      : { w: v.videoWidth, h: v.videoHeight };
    const el = { w: v.clientWidth, h: v.clientHeight };
    return { pixels, el, rect: contentRect(el, pixels) };
  }, [manifest]);

  /** Draws the boxes of the frame at media time `t` (and the draft box being marked). */
  const draw = useCallback(
    (t?: number) => {
      const v = video.current;
      const c = canvas.current;
      const s = size();
      if (!v || !c || !s) return;
      const dpr = window.devicePixelRatio || 1;
      const w = Math.round(s.el.w * dpr);
      const h = Math.round(s.el.h * dpr);
      if (c.width !== w || c.height !== h) {
        c.width = w;
        c.height = h;
      }
      const ctx = c.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, s.el.w, s.el.h);
      const frame = fps ? frameAt(t ?? v.currentTime, fps) : null;
      const shown = (showBoxes && frame !== null && boxes.get(frame)) || [];
      for (const [x, y, bw, bh] of shown)
        stroke(ctx, toDisplay({ x, y, w: bw, h: bh }, s.rect, s.pixels), DETECTED);
      if (draft) stroke(ctx, toDisplay(draft, s.rect, s.pixels), DRAFT, true);
      // For people reading the page's state (and the browser test): what the overlay shows now.
      if (wrap.current) {
        wrap.current.dataset.frame = frame === null ? '' : String(frame);
        wrap.current.dataset.boxes = String(shown.length);
      }
    },
    [boxes, draft, fps, showBoxes, size],
  );

  // Every presented frame while playing, and the frame shown after a seek.
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    let handle = 0;
    let stopped = false;
    if ('requestVideoFrameCallback' in v) {
      const tick: VideoFrameRequestCallback = (_now, meta) => {
        draw(meta.mediaTime);
        if (!stopped) handle = v.requestVideoFrameCallback(tick);
      };
      handle = v.requestVideoFrameCallback(tick);
    } else {
      const tick = () => {
        draw();
        if (!stopped) handle = requestAnimationFrame(tick);
      };
      handle = requestAnimationFrame(tick);
    }
    const still = () => {
      draw();
      if (fps) onFrame(frameAt(v.currentTime, fps));
    };
    v.addEventListener('seeked', still);
    v.addEventListener('pause', still);
    v.addEventListener('loadeddata', still);
    const resized = new ResizeObserver(() => draw());
    resized.observe(v);
    draw();
    return () => {
      stopped = true;
      if ('cancelVideoFrameCallback' in v) v.cancelVideoFrameCallback(handle);
      else cancelAnimationFrame(handle);
      v.removeEventListener('seeked', still);
      v.removeEventListener('pause', still);
      v.removeEventListener('loadeddata', still);
      resized.disconnect();
    };
  }, [draw, fps, onFrame]);

  // Stable, so React attaches it once per element (a new function each render would detach and
  // re-attach it, and the parent's setter would render again).
  const attach = useCallback(
    (v: HTMLVideoElement | null) => {
      video.current = v;
      onVideo?.(v);
    },
    [onVideo],
  );

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const dragged = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const s = size();
    if (!drag.current || !s) return;
    onDraft(dragToBox(drag.current, point(e), s.rect, s.pixels));
  };

  return (
    <div className={`player${marking ? ' marking' : ''}`} ref={wrap} data-testid="player">
      <video ref={attach} src={src} controls={!marking} preload="auto" playsInline aria-label={label} />
      <canvas
        ref={canvas}
        aria-hidden={!marking}
        aria-label={marking ? 'Drag across the missed face to draw its box' : undefined}
        role={marking ? 'img' : undefined}
        onPointerDown={(e) => {
          if (!marking) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = point(e);
        }}
        onPointerMove={dragged}
        onPointerUp={(e) => {
          dragged(e);
          drag.current = null;
        }}
        onPointerCancel={() => {
          drag.current = null;
        }}
      />
    </div>
  );
}
