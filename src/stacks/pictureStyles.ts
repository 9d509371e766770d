// The Async Stacks webview's style sheet. It is written into the page in a <style> element with the
// page's nonce (the Content-Security-Policy allows no other styles), and the webview copies it, with
// VS Code's theme variables resolved to colours, into every exported SVG so the file looks the same
// outside VS Code. Colours come only from the theme's variables: light, dark and high contrast alike.
export const PICTURE_STYLES = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 0; overflow: hidden; color: var(--vscode-foreground);
  background: var(--vscode-editor-background); font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size); }
#toolbar { display: flex; gap: 4px; align-items: center; padding: 6px 8px; flex-wrap: wrap;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#toolbar input { flex: 1 1 120px; min-width: 90px; max-width: 360px; color: var(--vscode-input-foreground);
  background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent);
  padding: 3px 6px; font: inherit; outline: none; }
#toolbar input:focus { border-color: var(--vscode-focusBorder); }
#toolbar button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground);
  border: 1px solid var(--vscode-button-border, transparent); padding: 3px 9px; font: inherit; cursor: pointer; }
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
#toolbar button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
#toolbar .matches { opacity: 0.8; min-width: 5em; }
#status { padding: 2px 8px 4px; font-size: 0.92em; color: var(--vscode-descriptionForeground); }
#status .title { color: var(--vscode-foreground); font-weight: 600; }
#status .staleNote { color: var(--vscode-editorWarning-foreground); }
#message { padding: 24px; max-width: 640px; }
#message h2 { font-size: 1.15em; font-weight: 600; margin: 0 0 8px; }
#message p { margin: 0; color: var(--vscode-descriptionForeground); line-height: 1.5; }
/* Clipped and contained: headless Chromium was seen painting a transformed SVG beyond the edge of
   the webview's (out-of-process) frame, over the editor beside it. */
html, body { overflow: hidden; height: 100%; }
#canvas { position: absolute; left: 0; right: 0; bottom: 0; overflow: hidden; outline: none; cursor: grab;
  contain: strict; clip-path: inset(0); }
#picture { display: block; overflow: hidden; }
#canvas.panning { cursor: grabbing; }
#canvas:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
body.stale #picture { opacity: 0.55; filter: grayscale(1); }
#tooltip { position: fixed; z-index: 10; max-width: 460px; padding: 6px 8px; pointer-events: none;
  color: var(--vscode-editorHoverWidget-foreground, var(--vscode-foreground));
  background: var(--vscode-editorHoverWidget-background, var(--vscode-editorWidget-background));
  border: 1px solid var(--vscode-editorHoverWidget-border, var(--vscode-widget-border, transparent));
  box-shadow: 0 2px 8px var(--vscode-widget-shadow, transparent); font-size: 0.92em; line-height: 1.45; }
#tooltip[hidden] { display: none; }
#tooltip .head { font-weight: 600; margin-bottom: 3px; }
#tooltip .code { font-family: var(--vscode-editor-font-family); }
#tooltip .dim { color: var(--vscode-descriptionForeground); }
#tooltip ul { margin: 2px 0 0; padding-left: 16px; }
.box rect.frame { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border));
  stroke-width: 1; }
.box.group rect.frame { fill: var(--vscode-editor-background); stroke-dasharray: 5 3; }
.box.more rect.frame { fill: var(--vscode-editor-background); stroke-dasharray: 2 3; }
.box text { fill: var(--vscode-editor-foreground); font-family: var(--vscode-editor-font-family); font-size: 12px; }
.box text.loc { fill: var(--vscode-descriptionForeground); }
.box text.await { fill: var(--vscode-textLink-foreground); font-style: italic; }
.box text.header { font-family: var(--vscode-font-family); }
.box text.elided, .box text.kind { fill: var(--vscode-descriptionForeground); }
.box .badge rect { fill: var(--vscode-badge-background); }
.box .badge text { fill: var(--vscode-badge-foreground); font-family: var(--vscode-font-family); font-weight: 600;
  text-anchor: middle; }
.box .row { cursor: pointer; }
.box .row:hover rect.hit { fill: var(--vscode-list-hoverBackground); }
.box rect.hit { fill: transparent; }
.box { outline: none; cursor: pointer; }
.box:focus rect.frame, .box.current rect.frame { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.box.match rect.frame { fill: var(--vscode-editor-findMatchHighlightBackground); stroke: var(--vscode-editor-findMatchBorder, var(--vscode-focusBorder)); }
.searching .box:not(.match) { opacity: 0.45; }
.edge { fill: none; stroke: var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); stroke-width: 1.3; }
.edge.owns, .edge.spawns { stroke: var(--vscode-charts-purple, var(--vscode-descriptionForeground)); }
.edge.awaits { stroke-dasharray: 5 3; }
.edge.more { stroke-dasharray: 2 3; }
.arrow { fill: var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); }
/* Findings: a box holding tasks of a problem is outlined in the problem's colour. */
.box.problem rect.frame { stroke-width: 2.5; }
.box.problem.error rect.frame { stroke: var(--vscode-problemsErrorIcon-foreground, var(--vscode-errorForeground)); }
.box.problem.warning rect.frame { stroke: var(--vscode-problemsWarningIcon-foreground, var(--vscode-editorWarning-foreground)); }
.box.problem.info rect.frame { stroke: var(--vscode-problemsInfoIcon-foreground, var(--vscode-editorInfo-foreground)); }
#tooltip .problem { font-weight: 600; margin-bottom: 3px; }
#tooltip .problem.error { color: var(--vscode-errorForeground); }
#tooltip .problem.warning { color: var(--vscode-editorWarning-foreground); }
#status .problemsNote { color: var(--vscode-editorWarning-foreground); }
body.vscode-high-contrast .box rect.frame, body.vscode-high-contrast-light .box rect.frame { stroke: var(--vscode-contrastBorder); }
body.vscode-high-contrast .edge, body.vscode-high-contrast-light .edge { stroke: var(--vscode-contrastBorder); }
`;
