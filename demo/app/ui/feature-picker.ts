import type { RegistryDocument } from '../../../src/registry/document.js';
import { featureGroups } from '../registry-model.js';
import { h, replace } from './dom.js';

export interface FeatureSelection {
  readonly featureService?: string;
  readonly features?: readonly string[];
}

/** Chooses a feature service or individual `view:feature` references from the registry. */
export function featurePicker(name: string): { element: HTMLElement; update(doc: RegistryDocument): void; selection(): FeatureSelection } {
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
      const services = Object.keys(doc.featureServices);
      replace(serviceSelect, ...services.map((s) => h('option', { value: s, selected: s === current }, s)));
      if (services.length === 0) byFeatures.checked = true;
      const checked = new Set([...checkboxes.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value));
      replace(
        checkboxes,
        ...featureGroups(doc).map((group) =>
          h(
            'div',
            { class: 'group' },
            h('strong', {}, group.view),
            ...group.features.map((f) => {
              const ref = `${group.view}:${f}`;
              return h(
                'label',
                {},
                h('input', {
                  type: 'checkbox',
                  value: ref,
                  checked: checked.has(ref),
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
    selection() {
      if (byService.checked && serviceSelect.value) return { featureService: serviceSelect.value };
      const features = [...checkboxes.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
      if (features.length === 0) throw new Error('Features: pick a feature service or at least one feature');
      return { features };
    },
  };
}
