import type { RegistryDocument } from '../../../src/registry/document.js';
import { featureGroups, unavailableService } from '../registry-model.js';
import { h, replace } from './dom.js';

export interface FeatureSelection {
  readonly featureService?: string;
  readonly features?: readonly string[];
}

/** Chooses a feature service or individual `view:feature` references from the registry. */
export function featurePicker(name: string): {
  element: HTMLElement;
  update(doc: RegistryDocument): void;
  selection(): FeatureSelection;
  /** Picks a service, or every feature of a view (`#/online?view=...` from a view's page). */
  choose(choice: { service?: string | null; view?: string | null }): void;
} {
  const serviceSelect = h('select', { 'data-testid': `${name}-service` });
  const byService = h('input', { type: 'radio', name: `${name}-mode`, value: 'service', checked: true, 'data-testid': `${name}-by-service` });
  const byFeatures = h('input', { type: 'radio', name: `${name}-mode`, value: 'features', 'data-testid': `${name}-by-features` });
  const checkboxes = h('div', { class: 'feature-list' });
  const element = h(
    'fieldset',
    { class: 'picker' },
    h('legend', {}, 'Features'),
    h('label', {}, byService, ' feature service ', serviceSelect),
    h('label', {}, byFeatures, ' features:'),
    checkboxes,
  );
  const sync = () => {
    checkboxes.classList.toggle('disabled', byService.checked);
  };
  byService.addEventListener('change', sync);
  byFeatures.addEventListener('change', sync);
  sync();
  return {
    element,
    update(doc) {
      const current = serviceSelect.value;
      // A service reading a Python on-demand view is listed, disabled, with the reason.
      const services = Object.keys(doc.featureServices).map((name) => ({ name, unavailable: unavailableService(doc, name) }));
      const usable = services.filter((s) => !s.unavailable);
      const chosen = usable.some((s) => s.name === current) ? current : usable[0]?.name;
      replace(
        serviceSelect,
        ...services.map((s) =>
          h(
            'option',
            { value: s.name, selected: s.name === chosen, disabled: s.unavailable !== undefined, title: s.unavailable },
            s.unavailable ? `${s.name} (${s.unavailable})` : s.name,
          ),
        ),
      );
      if (usable.length === 0) byFeatures.checked = true;
      byService.disabled = usable.length === 0;
      const checked = new Set([...checkboxes.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value));
      replace(
        checkboxes,
        ...featureGroups(doc).map((group) =>
          h(
            'div',
            { class: 'group', title: group.unavailable },
            h('strong', {}, group.view),
            group.unavailable ? h('span', { class: 'unavailable', 'data-testid': `unavailable-${group.view}` }, ` (${group.unavailable})`) : null,
            ...group.features.map((f) => {
              const ref = `${group.view}:${f}`;
              return h(
                'label',
                { class: group.unavailable ? 'disabled' : undefined },
                h('input', {
                  type: 'checkbox',
                  value: ref,
                  checked: !group.unavailable && checked.has(ref),
                  disabled: group.unavailable !== undefined,
                  title: group.unavailable,
                  'data-ref': ref,
                  onchange: () => {
                    byFeatures.checked = true;
                    sync();
                  },
                }),
                ` ${f}`,
              );
            }),
          ),
        ),
      );
      sync();
    },
    choose({ service, view }) {
      if (service && [...serviceSelect.options].some((o) => o.value === service && !o.disabled)) {
        serviceSelect.value = service;
        byService.checked = true;
      } else if (view) {
        const boxes = [...checkboxes.querySelectorAll<HTMLInputElement>('input[type=checkbox]')];
        for (const box of boxes) box.checked = !box.disabled && box.value.startsWith(`${view}:`);
        if (boxes.some((b) => b.checked)) byFeatures.checked = true;
      }
      sync();
      element.dispatchEvent(new Event('change', { bubbles: true }));
    },
    selection() {
      const service = serviceSelect.selectedOptions[0];
      if (byService.checked && service && !service.disabled) return { featureService: service.value };
      const features = [...checkboxes.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
      if (features.length === 0) throw new Error('Features: pick a feature service or at least one feature');
      return { features };
    },
  };
}
