// Zoom (wheel, buttons, keys) and pan (drag) of the picture, as one transform on the viewport group.
// A press that moves less than a few pixels is a click, not a pan.

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 3;
const DRAG_THRESHOLD = 4;
/** Below this the boxes' 12 px text is too small to read. */
const READABLE_SCALE = 0.8;

export class PanZoom {
  transform: ViewTransform = { x: 0, y: 0, k: 1 };
  private content = { width: 0, height: 0 };
  /** True between a press that moved and the click it would otherwise cause. */
  dragged = false;

  constructor(
    private readonly canvas: HTMLElement,
    private readonly viewport: SVGGElement,
    private readonly changed: (transform: ViewTransform) => void,
  ) {
    canvas.addEventListener('wheel', (event) => this.wheel(event), { passive: false });
    canvas.addEventListener('pointerdown', (event) => this.press(event));
  }

  setContentSize(width: number, height: number): void {
    this.content = { width, height };
  }

  apply(transform: ViewTransform): void {
    this.transform = { ...transform, k: Math.min(MAX_SCALE, Math.max(MIN_SCALE, transform.k)) };
    const { x, y, k } = this.transform;
    this.viewport.setAttribute(
      'transform',
      `translate(${x.toFixed(1)},${y.toFixed(1)}) scale(${k.toFixed(4)})`,
    );
    this.changed(this.transform);
  }

  /** The whole picture in view, never enlarged beyond its natural size. */
  fit(): void {
    const { width, height } = this.canvas.getBoundingClientRect();
    if (!this.content.width || !width || !height) {
      this.apply({ x: 0, y: 0, k: 1 });
      return;
    }
    const k = Math.min(1, (width - 16) / this.content.width, (height - 16) / this.content.height);
    // Centred across, from the top down: callers first, where people start reading.
    this.apply({ x: (width - this.content.width * k) / 2, y: 8, k });
  }

  /**
   * The first view of a picture: all of it when it fits at a readable size; otherwise readable, with
   * `anchor` (the biggest root box) at the top, centred. Fit (Home) still shows everything.
   */
  openingView(anchor: { x: number; y: number; width: number } | undefined): void {
    const { width, height } = this.canvas.getBoundingClientRect();
    const k = Math.min(1, (width - 16) / this.content.width, (height - 16) / this.content.height);
    if (k >= READABLE_SCALE || !anchor) {
      this.fit();
      return;
    }
    const x = Math.min(8, width / 2 - (anchor.x + anchor.width / 2) * READABLE_SCALE);
    this.apply({
      x: Math.max(x, width - 8 - this.content.width * READABLE_SCALE),
      y: 8 - anchor.y * READABLE_SCALE + 8,
      k: READABLE_SCALE,
    });
  }

  /** Zooms by a factor around a point of the canvas (its centre by default). */
  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const rect = this.canvas.getBoundingClientRect();
    const point = at ?? { x: rect.width / 2, y: rect.height / 2 };
    const { x, y, k } = this.transform;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, k * factor));
    this.apply({ x: point.x - ((point.x - x) * next) / k, y: point.y - ((point.y - y) * next) / k, k: next });
  }

  /** Pans so that a rectangle of the picture is in view (keyboard focus moving off screen). */
  reveal(box: { x: number; y: number; width: number; height: number }): void {
    const rect = this.canvas.getBoundingClientRect();
    const { x, y, k } = this.transform;
    const left = box.x * k + x;
    const top = box.y * k + y;
    const right = left + box.width * k;
    const bottom = top + box.height * k;
    if (left >= 0 && top >= 0 && right <= rect.width && bottom <= rect.height) return;
    this.apply({
      x: rect.width / 2 - (box.x + box.width / 2) * k,
      y: rect.height / 2 - (box.y + box.height / 2) * k,
      k,
    });
  }

  private wheel(event: WheelEvent): void {
    event.preventDefault();
    const rect = this.canvas.getBoundingClientRect();
    if (event.ctrlKey || event.metaKey || !event.shiftKey) {
      this.zoomBy(Math.exp(-event.deltaY * 0.0015), {
        x: event.clientX - rect.left,
        y: event.clientY - rect.top,
      });
    } else {
      this.apply({ ...this.transform, x: this.transform.x - event.deltaY });
    }
  }

  private press(event: PointerEvent): void {
    if (event.button !== 0) return;
    const start = { x: event.clientX, y: event.clientY, tx: this.transform.x, ty: this.transform.y };
    this.dragged = false;
    const move = (moved: PointerEvent) => {
      const dx = moved.clientX - start.x;
      const dy = moved.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      if (!this.dragged) {
        this.dragged = true;
        this.canvas.classList.add('panning');
        this.canvas.setPointerCapture(event.pointerId);
      }
      this.apply({ ...this.transform, x: start.tx + dx, y: start.ty + dy });
    };
    const release = () => {
      this.canvas.classList.remove('panning');
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', release);
      // The click that follows a drag comes after pointerup: let it see `dragged`, then reset.
      setTimeout(() => {
        this.dragged = false;
      }, 0);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', release);
  }
}
