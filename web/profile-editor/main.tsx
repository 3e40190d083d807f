/**
 * The dashboard's profile editor, built by Vite into dist/web/profile-editor.js (an ES module the no-build
 * dashboard imports when it is there; without it the page keeps its JSON editor). React renders only inside
 * the element the page hands over.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'react-querybuilder/dist/query-builder.css';
import './editor.css';
import { ConditionBuilder, ProfileEditor, type Draft } from './ProfileEditor.tsx';

export interface MountOptions {
  draft: unknown;
  /** channel codes offered by the condition builder */
  channels: readonly string[];
  onChange: (draft: Draft) => void;
}

export interface MountedEditor {
  /** shows another draft (e.g. after the JSON was edited by hand) */
  set(draft: unknown): void;
  unmount(): void;
}

export function mountProfileEditor(el: HTMLElement, opts: MountOptions): MountedEditor {
  const root = createRoot(el);
  let revision = 0;
  const render = (draft: unknown) =>
    root.render(
      <StrictMode>
        {/* a new key starts the form afresh from the draft */}
        <ProfileEditor key={revision++} initial={draft} channels={opts.channels} onChange={opts.onChange} />
      </StrictMode>,
    );
  render(opts.draft);
  return { set: render, unmount: () => root.unmount() };
}

/** Just the condition builder (hold rules): JsonLogic in, JsonLogic out (null = no conditions). */
export function mountConditionBuilder(el: HTMLElement, opts: { conditions: unknown; channels: readonly string[]; onChange: (conditions: unknown) => void; emptyText?: string }): MountedEditor {
  const root = createRoot(el);
  let revision = 0;
  const render = (conditions: unknown) =>
    root.render(
      <StrictMode>
        <div className="profile-editor">
          <ConditionBuilder key={revision++} initial={conditions} channels={opts.channels} onChange={opts.onChange} emptyText={opts.emptyText} />
        </div>
      </StrictMode>,
    );
  render(opts.conditions);
  return { set: render, unmount: () => root.unmount() };
}
