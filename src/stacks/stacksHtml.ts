// The Async Stacks webview's page. A strict Content-Security-Policy: nothing loads from the network;
// the one script is the bundled dist/stacks-webview.js and it runs only with this page's nonce;
// the one style sheet is inline with the same nonce.
import { PICTURE_STYLES } from './pictureStyles';

export interface StacksPage {
  /** `webview.cspSource`: where the webview may load the extension's own files from. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/stacks-webview.js)`, as a string. */
  scriptUri: string;
  /** A fresh random value per page. */
  nonce: string;
}

export function contentSecurityPolicy(page: StacksPage): string {
  return [
    "default-src 'none'",
    `img-src ${page.cspSource} data:`,
    `style-src 'nonce-${page.nonce}'`,
    `script-src 'nonce-${page.nonce}'`,
    `font-src ${page.cspSource}`,
  ].join('; ');
}

export function stacksHtml(page: StacksPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Async Stacks</title>
<style nonce="${page.nonce}" id="picture-styles">${PICTURE_STYLES}</style>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Async Stacks">
  <input id="search" type="search" placeholder="Search functions, files, awaiting…" aria-label="Search the picture">
  <span class="matches" id="matches" aria-live="polite"></span>
  <button id="fit" title="Fit the picture to the view (Home)">Fit</button>
  <button id="zoomOut" title="Zoom out (-)" aria-label="Zoom out">−</button>
  <button id="zoomIn" title="Zoom in (+)" aria-label="Zoom in">+</button>
  <button id="foldAll" title="Fold every branch you expanded">Fold all</button>
  <button id="export" title="Save the picture as an SVG file">Export SVG…</button>
</div>
<div id="status" aria-live="polite"></div>
<div id="message" hidden><h2></h2><p></p></div>
<div id="canvas" tabindex="0" role="application" aria-label="Merged async stacks. Tab to a box; arrows move between boxes; Enter opens its line."></div>
<div id="tooltip" role="tooltip" hidden></div>
<script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
