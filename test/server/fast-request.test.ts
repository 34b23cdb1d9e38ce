import { describe, expect, it } from 'vitest';
import { fastOnlineFeaturesBody } from '../../src/server/fast-request.js';

const JSON_TYPE = 'application/json';

describe('the fast path for the usual get-online-features body', () => {
  it('takes a well-formed body as it is', () => {
    expect(fastOnlineFeaturesBody('{"features":["v:a","v:b"],"entities":{"id":[1,2]},"full_feature_names":true}', JSON_TYPE)).toEqual({
      features: ['v:a', 'v:b'],
      entities: { id: [1, 2] },
      full_feature_names: true,
    });
    expect(fastOnlineFeaturesBody('{"feature_service":"svc","entities":{"id":["a"]}}', JSON_TYPE)).toEqual({ feature_service: 'svc', entities: { id: ['a'] } });
  });

  it.each([
    ['another content type', '{"features":["v:a"],"entities":{"id":[1]}}', 'text/plain'],
    ['no content type', '{"features":["v:a"],"entities":{"id":[1]}}', undefined],
    ['a content type with parameters', '{"features":["v:a"],"entities":{"id":[1]}}', 'application/json; charset=utf-8'],
    ['an empty body', '', JSON_TYPE],
    ['malformed JSON', '{"features":', JSON_TYPE],
    ['an array', '[]', JSON_TYPE],
    ['no entities', '{"features":["v:a"]}', JSON_TYPE],
    ['entities as a list', '{"features":["v:a"],"entities":[1]}', JSON_TYPE],
    ['a column that is not a list', '{"features":["v:a"],"entities":{"id":1}}', JSON_TYPE],
    ['a column named __proto__', '{"features":["v:a"],"entities":{"__proto__":[1]}}', JSON_TYPE],
    ['a column named constructor', '{"features":["v:a"],"entities":{"constructor":[1]}}', JSON_TYPE],
    ['an empty feature list', '{"features":[],"entities":{"id":[1]}}', JSON_TYPE],
    ['a feature that is not a string', '{"features":["v:a",1],"entities":{"id":[1]}}', JSON_TYPE],
    ['features null', '{"features":null,"entities":{"id":[1]}}', JSON_TYPE],
    ['a feature service null', '{"feature_service":null,"features":["v:a"],"entities":{"id":[1]}}', JSON_TYPE],
    ['a lax boolean', '{"features":["v:a"],"entities":{"id":[1]},"full_feature_names":"yes"}', JSON_TYPE],
    ['an unknown field', '{"features":["v:a"],"entities":{"id":[1]},"extra":1}', JSON_TYPE],
    ["Feast's version-metadata flag", '{"features":["v:a"],"entities":{"id":[1]},"include_feature_view_version_metadata":false}', JSON_TYPE],
  ])('leaves %s to the full check', (_what, text, type) => {
    expect(fastOnlineFeaturesBody(text, type)).toBeUndefined();
  });
});
