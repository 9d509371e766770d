// What package.json declares, read as plain data: checked here rather than inside the extension host,
// which would only read the same file. What only the host can show (the commands registered, the view
// focusable, activation by its event) is in test/integration/activation.test.ts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repositoryRoot';

const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));

describe('extension manifest (package.json)', () => {
  it('contributes the Async Tasks view in its own activity-bar container', () => {
    const containers = manifest.contributes.viewsContainers.activitybar as { id: string; title: string }[];
    assert.deepEqual(
      containers.map((container) => [container.id, container.title]),
      [['asyncToolkit', 'Async Toolkit']],
    );
    const views = manifest.contributes.views.asyncToolkit as { id: string; name: string }[];
    assert.deepEqual(
      views.map((view) => [view.id, view.name]),
      [['asyncToolkit.tasks', 'Async Tasks']],
    );
  });

  it('keeps activation lazy (no "*" activation event)', () => {
    assert.equal(manifest.activationEvents.includes('*'), false);
  });
});
