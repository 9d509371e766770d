// Turns the drawn picture into a standalone SVG document: the whole picture (not the zoomed view),
// with the page's style sheet copied in and VS Code's theme variables replaced by the colours and
// fonts they have now, so the file looks the same in a browser or an image viewer.
import { resolveVariables } from '../picture/resolveVariables';

export function exportSvg(
  svg: SVGSVGElement,
  size: { width: number; height: number },
  css: string,
  title: string,
): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.ceil(size.width)));
  copy.setAttribute('height', String(Math.ceil(size.height)));
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(size.width)} ${Math.ceil(size.height)}`);
  copy.removeAttribute('class');
  copy.querySelector('#viewport')?.removeAttribute('transform');
  for (const box of copy.querySelectorAll('[tabindex]')) box.removeAttribute('tabindex');
  const style = getComputedStyle(document.body);
  const resolved = resolveVariables(css, (name) => style.getPropertyValue(name));
  const background = style.getPropertyValue('--vscode-editor-background').trim() || 'white';
  const doc = copy.ownerDocument;
  const titleElement = doc.createElementNS('http://www.w3.org/2000/svg', 'title');
  titleElement.textContent = title;
  const styleElement = doc.createElementNS('http://www.w3.org/2000/svg', 'style');
  styleElement.textContent = resolved;
  const backdrop = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
  backdrop.setAttribute('width', '100%');
  backdrop.setAttribute('height', '100%');
  backdrop.setAttribute('fill', background);
  copy.prepend(titleElement, styleElement, backdrop);
  return new XMLSerializer().serializeToString(copy);
}
