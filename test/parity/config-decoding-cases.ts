/**
 * AuthenticationConfiguration files and what kube-apiserver's loader
 * (loadAuthenticationConfigFromData: apimachinery's strict universal decoder,
 * sigs.k8s.io/yaml on go-yaml v2, sigs.k8s.io/json, encoding/json) answers
 * for each: the exact error text, or a successful decode. Transcribed from
 * the release's source and its tests, and from running those same libraries
 * (sigs.k8s.io/yaml v1.6.0, go-yaml v2.4.4, sigs.k8s.io/json) on each input;
 * the `mutated-*` files are valid configurations with random edits.
 */

/** One file: its content as text, or as hex bytes when it is not UTF-8 text. */
export type ConfigDecodingCase = { name: string } & ({ text: string } | { hex: string }) &
  ({ error: string } | { decodes: true })

export const CONFIG_DECODING_CASES: readonly ConfigDecodingCase[] = [
  {
    name: 'alias-cycle',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\na: &a [*a]\n',
    error: "yaml: anchor 'a' value contains itself",
  },
  {
    name: 'anchor-dup-line',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nx: &a {url: b}\nx: *a\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 4: key "x" already set in map, unknown field "x"',
  },
  {
    name: 'apiversion-int',
    text: 'apiVersion: 1\nkind: AuthenticationConfiguration\n',
    error:
      "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string",
  },
  {
    name: 'apps-group',
    text: '{"apiVersion":"apps/v1alpha1","kind":"AuthenticationConfiguration"}',
    error:
      'no kind "AuthenticationConfiguration" is registered for version "apps/v1alpha1" in scheme "pkg/kubeapiserver/options/authentication.go:872"',
  },
  {
    name: 'at-sign',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: @a\n',
    error: 'yaml: line 5: found character that cannot start any token',
  },
  {
    name: 'authz-kind-jwt',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\njwt: []\n',
    error: 'strict decoding error: unknown field "jwt"',
  },
  {
    name: 'authz-kind',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\n',
    error: 'expected AuthenticationConfiguration, got *apiserver.AuthorizationConfiguration',
  },
  {
    name: 'authz-type-error',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: {}\n',
    error:
      'json: cannot unmarshal object into Go struct field AuthorizationConfiguration.authorizers of type []v1.AuthorizerConfiguration',
  },
  {
    name: 'backtick',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: `a`\n',
    error: 'yaml: line 5: found character that cannot start any token',
  },
  {
    name: 'bad-escape',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: "a\\qb"\n',
    error: 'yaml: line 5: found unknown escape character',
  },
  {
    name: 'bad-indent',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n   audiences: [b]\n',
    error: 'yaml: line 5: did not find expected key',
  },
  {
    name: 'binary-bad',
    text: "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!binary '%%%'\n",
    error: 'yaml: !!binary value contains invalid base64 data',
  },
  {
    name: 'binary-invalid-utf8',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!binary /w==\n',
    decodes: true,
  },
  {
    name: 'binary-url',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!binary aHR0cHM6Ly9hLmV4YW1wbGUuY29t\n    audiences: [a]\n  claimMappings: {username: {claim: sub, prefix: ""}}\n',
    decodes: true,
  },
  {
    name: 'bom-json',
    hex: 'efbbbf7b2261706956657273696f6e223a226170697365727665722e636f6e6669672e6b38732e696f2f7631222c226b696e64223a2241757468656e7469636174696f6e436f6e66696775726174696f6e227d',
    decodes: true,
  },
  {
    name: 'bool-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\ntrue: 1\n',
    error: 'strict decoding error: unknown field "true"',
  },
  {
    name: 'bool-tag-number',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!bool 1\n',
    error: 'yaml: cannot decode !!int `1` as a !!bool',
  },
  {
    name: 'bool-tag-yes',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: !!bool yes\n',
    decodes: true,
  },
  {
    name: 'bool-yes',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: yes\n',
    decodes: true,
  },
  {
    name: 'core-v1',
    text: 'apiVersion: v1\nkind: AuthenticationConfiguration\n',
    error:
      'no kind "AuthenticationConfiguration" is registered for version "v1" in scheme "pkg/kubeapiserver/options/authentication.go:872"',
  },
  {
    name: 'crlf',
    text: 'apiVersion: apiserver.config.k8s.io/v1\r\nkind: AuthenticationConfiguration\r\njwt: []\r\n',
    decodes: true,
  },
  {
    name: 'deeper-sibling',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: []\n  foo: 1\n',
    error: 'yaml: line 3: did not find expected key',
  },
  {
    name: 'directive',
    text: '%FOO bar\n---\napiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n',
    error: 'yaml: found unknown directive name',
  },
  {
    name: 'dup-and-unknown',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nzzz: 1\nkind: AuthenticationConfiguration\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 4: key "kind" already set in map, unknown field "zzz"',
  },
  {
    name: 'dup-deep-first',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n    url: b\n  issuer:\n    url: c\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 6: key "url" already set in map\n  line 8: key "issuer" already set in map',
  },
  {
    name: 'dup-flow',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: a, url: b}\n',
    error: 'strict decoding error: yaml: unmarshal errors:\n  line 4: key "url" already set in map',
  },
  {
    name: 'dup-int-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    1: a\n    1: b\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 6: key 1 already set in map, unknown field "jwt[0].issuer.1"',
  },
  {
    name: 'dup-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [a]\n    url: https://b.example.com\n  claimMappings: {username: {claim: sub, prefix: ""}}\n',
    error: 'strict decoding error: yaml: unmarshal errors:\n  line 7: key "url" already set in map',
  },
  {
    name: 'dup-merge-after',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {<<: {url: b}, url: a}\n',
    error: 'strict decoding error: yaml: unmarshal errors:\n  line 4: key "url" already set in map',
  },
  {
    name: 'dup-merge',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: a, <<: {url: b}}\n',
    error: 'strict decoding error: yaml: unmarshal errors:\n  line 4: key "url" already set in map',
  },
  {
    name: 'dup-nested-lines',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n  issuer:\n    url: b\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 7: key "issuer" already set in map',
  },
  {
    name: 'dup-null-value',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\njwt:\n',
    error: 'strict decoding error: yaml: unmarshal errors:\n  line 4: key "jwt" already set in map',
  },
  {
    name: 'dup-seq-value',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- a\njwt:\n- b\n',
    error:
      'json: cannot unmarshal string into Go struct field AuthenticationConfiguration.jwt of type v1.JWTAuthenticator',
  },
  {
    name: 'dup-two',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    url: https://b.example.com\n',
    error:
      'strict decoding error: yaml: unmarshal errors:\n  line 3: key "kind" already set in map\n  line 7: key "url" already set in map',
  },
  {
    name: 'egress-kind',
    text: 'apiVersion: apiserver.k8s.io/v1beta1\nkind: EgressSelectorConfiguration\negressSelections: []\n',
    error: 'expected AuthenticationConfiguration, got *apiserver.EgressSelectorConfiguration',
  },
  {
    name: 'empty-doc-then',
    text: '---\n---\napiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n',
    error:
      "Object 'Kind' is missing in '---\n---\napiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n'",
  },
  {
    name: 'encryption-kind',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n',
    error: 'expected AuthenticationConfiguration, got *apiserver.EncryptionConfiguration',
  },
  {
    name: 'extra-bracket',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [a, b]]\n',
    error: 'yaml: line 2: did not find expected key',
  },
  {
    name: 'float-tag-int',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!float 5\n',
    error:
      'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.url of type string',
  },
  {
    name: 'float-tag-word',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: !!float yes\n',
    error: 'yaml: cannot decode !!bool `yes` as a !!float',
  },
  {
    name: 'float-url',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: 1.5\n',
    error:
      'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.url of type string',
  },
  {
    name: 'flow-map-empty',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: {\n',
    error: 'yaml: line 3: did not find expected node content',
  },
  {
    name: 'flow-trailing-comma',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [a,\n',
    error: 'yaml: line 3: did not find expected node content',
  },
  {
    name: 'flow-unclosed-mid',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [a, b\nfoo: 1\n',
    error: "yaml: line 3: did not find expected ',' or ']'",
  },
  {
    name: 'flow-yaml-ws',
    text: '  \n {apiVersion: apiserver.config.k8s.io/v1, kind: AuthenticationConfiguration}',
    error:
      "couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of object key string",
  },
  {
    name: 'flow-yaml',
    text: '{apiVersion: apiserver.config.k8s.io/v1, kind: AuthenticationConfiguration}',
    error:
      "couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of object key string",
  },
  {
    name: 'group-slash',
    text: 'apiVersion: apiserver.config.k8s.io/\nkind: AuthenticationConfiguration\n',
    error:
      "Object 'apiVersion' is missing in 'apiVersion: apiserver.config.k8s.io/\nkind: AuthenticationConfiguration\n'",
  },
  {
    name: 'gv-three',
    text: 'apiVersion: a/b/c\nkind: AuthenticationConfiguration\n',
    error: 'unexpected GroupVersion string: a/b/c',
  },
  {
    name: 'inf',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: .inf\n',
    error: 'json: unsupported value: +Inf',
  },
  {
    name: 'int-audience',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [1, true, 1.0]\n',
    error:
      'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.audiences of type string',
  },
  {
    name: 'int-tag-quoted',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!int "7"\n',
    error:
      'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.url of type string',
  },
  {
    name: 'int-tag',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!int x\n',
    error: 'yaml: cannot decode !!str `x` as a !!int',
  },
  {
    name: 'invalid-utf8-json',
    hex: '7b2261706956657273696f6e223a226170697365727665722e636f6e6669672e6b38732e696f2f7631222c226b696e64223a2241757468656e7469636174696f6e436f6e66696775726174696f6e222c226a7774223a5b7b22697373756572223a7b2275726c223a2261ff227d7d5d7d',
    decodes: true,
  },
  {
    name: 'invalid-utf8',
    hex: '61706956657273696f6e3a206170697365727665722e636f6e6669672e6b38732e696f2f76310a6b696e643a2041757468656e7469636174696f6e436f6e66696775726174696f6e0a2320ff0a',
    error: 'yaml: invalid leading UTF-8 octet',
  },
  {
    name: 'json-bad-number',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":01}',
    error:
      "couldn't get version/kind; json parse error: invalid character '1' after object key:value pair",
  },
  {
    name: 'json-comment',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1", # c\n"kind":"AuthenticationConfiguration"}',
    error:
      "couldn't get version/kind; json parse error: invalid character '#' looking for beginning of object key string",
  },
  {
    name: 'json-ctrl',
    text: '{"apiVersion":"a\tb"}',
    error: "couldn't get version/kind; json parse error: invalid character '\\t' in string literal",
  },
  {
    name: 'json-dup-nested-first',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"foo":1},"issuer":{"url":"x"}}]}',
    error:
      'strict decoding error: unknown field "jwt[0].issuer.foo", duplicate field "jwt[0].issuer"',
  },
  {
    name: 'json-dup-unknown',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","x":1,"x":2,"jwt":[],"jwt":[]}',
    error: 'strict decoding error: unknown field "x", duplicate field "jwt"',
  },
  {
    name: 'json-dup',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"url":"a","url":"b"}}],"x":1}',
    error: 'strict decoding error: duplicate field "jwt[0].issuer.url", unknown field "x"',
  },
  {
    name: 'json-kind-case',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","Kind":"AuthenticationConfiguration"}',
    error: 'strict decoding error: unknown field "Kind"',
  },
  {
    name: 'json-null-kind',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","kind":null}',
    error: 'strict decoding error: duplicate field "kind"',
  },
  {
    name: 'json-single-quote',
    text: "{'apiVersion':'x'}",
    error:
      "couldn't get version/kind; json parse error: invalid character '\\'' looking for beginning of object key string",
  },
  {
    name: 'json-trailing-comma',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration",}',
    error:
      "couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string",
  },
  {
    name: 'json-trailing-garbage',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration"} x',
    error:
      "couldn't get version/kind; json parse error: invalid character 'x' after top-level value",
  },
  {
    name: 'json-truncated',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration"',
    error: "couldn't get version/kind; json parse error: unexpected end of JSON input",
  },
  {
    name: 'json-two-docs',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration"}\n{"a":1}',
    error:
      "couldn't get version/kind; json parse error: invalid character '{' after top-level value",
  },
  {
    name: 'json-unicode-esc',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","jwt":[{"issuer":{"url":"\\q"}}]}',
    error:
      "couldn't get version/kind; json parse error: invalid character 'q' in string escape code",
  },
  {
    name: 'key-colon-no-space',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url:https://a\n',
    error:
      'json: cannot unmarshal string into Go struct field JWTAuthenticator.jwt.issuer of type v1.Issuer',
  },
  {
    name: 'key-float',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n1.5: x\n',
    error: 'strict decoding error: unknown field "1.5"',
  },
  {
    name: 'kind-int',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: 5\n',
    error:
      "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string",
  },
  {
    name: 'kind-list',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: [a]\n',
    error:
      "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go struct field .kind of type string",
  },
  {
    name: 'legacy-group-authn',
    text: 'apiVersion: apiserver.k8s.io/v1alpha1\nkind: AuthenticationConfiguration\n',
    error:
      'no kind "AuthenticationConfiguration" is registered for version "apiserver.k8s.io/v1alpha1" in scheme "pkg/kubeapiserver/options/authentication.go:872"',
  },
  {
    name: 'list-top',
    text: '- a\n- b\n',
    error:
      'couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
  },
  {
    name: 'map-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n? {key: a, b: [1, x, true, ~, 1.5]}\n: 1\n',
    error:
      'yaml: invalid map key: map[interface {}]interface {}{"b":[]interface {}{1, "x", true, interface {}(nil), 1.5}, "key":"a"}',
  },
  {
    name: 'mapping-in-value',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a: b\n',
    error: 'yaml: line 5: mapping values are not allowed in this context',
  },
  {
    name: 'merge',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: https://a.example.com, audiences: [k]}\n  claimMappings:\n    username: {<<: {claim: sub}, prefix: ""}\n',
    decodes: true,
  },
  {
    name: 'missing-colon',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt\n- issuer: x\n',
    error: "yaml: line 4: could not find expected ':'",
  },
  {
    name: 'multi-doc-sep',
    text: '---\napiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n---\n',
    decodes: true,
  },
  {
    name: 'multi-doc',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n---\na: 1\n',
    decodes: true,
  },
  {
    name: 'multiline-key-in-new-mapping',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- claim:@ hd\n  requiredValue: x\n',
    error: 'yaml: line 5: mapping values are not allowed in this context',
  },
  {
    name: 'mutated-strict-decoding-error-unknown-field-Q-unknown-fiel',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audie\tnces: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidati.infonRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {cl!!int aim: sub, prefix: \'oidc:\'}\n    groups:\n      expressio.infn: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userV.infalidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error:
      'strict decoding error: unknown field "jwt[0].claimMappings.groups.expressio.infn", unknown field "jwt[0].claimMappings.username.cl!!int aim", unknown field "jwt[0].claimValidati.infonRules", unknown field "jwt[0].issuer.audie\\tnces", unknown field "jwt[0].userV.infalidationRules"',
  },
  {
    name: 'mutated-strict-decoding-error-unknown-field-Q',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a!!int \n  userValid.infationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'strict decoding error: unknown field "jwt[0].userValid.infationRules"',
  },
  {
    name: 'mutated-yaml-N-block-sequence-entries-are-not-allowed-in-t',
    text: 'apiVersion: apiserver.co.infnfig.k8s.io/v1\nkind: Authenticat\tionConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny!!int \n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    !!int - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: line 16: block sequence entries are not allowed in this context',
  },
  {
    name: 'mutated-yaml-N-could-not-find-expected',
    text: 'apiVersion: apis\terver.config.k8s.io/v1\nkind:!!int  AuthenticationConfigu.infration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredVal.infue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: "yaml: line 3: could not find expected ':'",
  },
  {
    name: 'mutated-yaml-N-did-not-find-expected-key',
    text: 'apiVersion: apiserver.!!int conf!!int ig.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issu%YAML 1.1\ner:\n    url: https://a.example.com\n   !!int  audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: line 6: did not find expected key',
  },
  {
    name: 'mutated-yaml-N-did-not-find-expected-or',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  .infclaimMappings:\n    username: {claim: sub, pr]efix: \'oidc:\'}\n !!int    groups:\n   .inf   expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: "yaml: line 11: did not find expected ',' or '}'",
  },
  {
    name: 'mutated-yaml-N-found-a-tab-character-that-violates-indenta',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n \t claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: line 8: found a tab character that violates indentation',
  },
  {
    name: 'mutated-yaml-N-found-character-that-cannot-start-any-token',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n\t    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key!!int : example.org/a\n   !!int    valueExpression: claims.a\n  userValidationRules:\n  \t- expr.infession: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: line 5: found character that cannot start any token',
  },
  {
    name: 'mutated-yaml-N-mapping-values-are-not-allowed-in-this-cont',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njw{t:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claim\ts.groups\n    extra:\n    - key:.inf example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(!!int \'system:\')"\n    message: no\n',
    error: 'yaml: line 17: mapping values are not allowed in this context',
  },
  {
    name: 'mutated-yaml-cannot-decode-bool-no-as-a-int',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: Authenticat.infionConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: !!int no\n',
    error: 'yaml: cannot decode !!bool `no` as a !!int',
  },
  {
    name: 'mutated-yaml-cannot-decode-str-Authe-nticationConfiguratio',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: !!int Authe\tnticationConfiguration\njwt:\n- issuer:\n    url: https://a.exampl.infe.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims..infa\n  userValidation\tRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: cannot decode !!str `Authe\tnticationConfiguration` as a !!int',
  },
  {
    name: 'mutated-yaml-cannot-decode-str-MatchAny-as-a-int',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.exa\tmple.com\n    audiences: [k, "x"]\n    audienceMatchPolicy: !!int MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: exampl\te.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: c!!int laims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n  - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: cannot decode !!str `MatchAny` as a !!int',
  },
  {
    name: 'mutated-yaml-cannot-decode-str-x-as-a-int',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k,!!int  "x"]\n    audienceMatchPolicy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n  !!int     valueExpression: claims.a\n  userValidationRules:\n  - expression: \t"!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: cannot decode !!str `x` as a !!int',
  },
  {
    name: 'mutated-yaml-found-character-that-cannot-start-any-token',
    text: '\tapiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://a.example.com\n    audiences: [k, "x"]\n    audienceMatchPo!!int licy: MatchAny\n  claimValidationRules:\n  - claim: hd\n    requiredValue: example.com\n  claimMappings:\n    username: {claim: sub, prefix: \'oidc:\'}\n    groups:\n      expression: claims.groups\n    extra:\n    - key: example.org/a\n      valueExpression: claims.a\n  userValidationRules:\n!!int   - expression: "!user.username.startsWith(\'system:\')"\n    message: no\n',
    error: 'yaml: found character that cannot start any token',
  },
  {
    name: 'nan',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: .nan\n',
    error: 'json: unsupported value: NaN',
  },
  {
    name: 'nbsp-json',
    text: ' {"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","x":1}',
    error:
      "couldn't get version/kind; json parse error: invalid character 'Â' looking for beginning of value",
  },
  {
    name: 'neg-inf',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: -.Inf\n',
    error: 'json: unsupported value: -Inf',
  },
  {
    name: 'no-kind',
    text: 'apiVersion: apiserver.config.k8s.io/v1\njwt: []\n',
    error: "Object 'Kind' is missing in 'apiVersion: apiserver.config.k8s.io/v1\njwt: []\n'",
  },
  {
    name: 'no-version',
    text: 'kind: AuthenticationConfiguration\njwt: []\n',
    error: "Object 'apiVersion' is missing in 'kind: AuthenticationConfiguration\njwt: []\n'",
  },
  {
    name: 'null-key-str',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n~: abc\n',
    error: 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "abc"',
  },
  {
    name: 'null-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n~: 1\n',
    error: 'unsupported map key of type: %!s(<nil>), key: <nil>, value: 1',
  },
  { name: 'only-comment', text: '# nothing\n', error: "Object 'Kind' is missing in '# nothing\n'" },
  { name: 'only-null', text: 'null\n', error: "Object 'Kind' is missing in 'null\n'" },
  { name: 'only-spaces', text: '   \n', error: "Object 'Kind' is missing in '   \n'" },
  {
    name: 'percent-plain',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: %a\n',
    error: 'yaml: line 5: found character that cannot start any token',
  },
  {
    name: 'question-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n? jwt\n: []\n',
    decodes: true,
  },
  {
    name: 'reserved-char-after-empty-value',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n  claimMappings:\n    groups:\n   @   expression: claims.groups\n',
    error: 'yaml: line 8: found character that cannot start any token',
  },
  {
    name: 'scalar-top',
    text: 'hello\n',
    error:
      'couldn\'t get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
  },
  {
    name: 'seq-bad-indent',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n - b\n',
    error: 'yaml: line 5: did not find expected key',
  },
  {
    name: 'seq-in-map',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n  - b\n',
    error: 'yaml: line 5: did not find expected key',
  },
  {
    name: 'seq-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n[a, 2]: 1\n',
    error: 'yaml: invalid map key: []interface {}{"a", 2}',
  },
  {
    name: 'seq-same-line',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: - a\n',
    error: 'yaml: line 3: block sequence entries are not allowed in this context',
  },
  {
    name: 'some-kind',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1alpha1","kind":"SomeConfiguration"}',
    error:
      'no kind "SomeConfiguration" is registered for version "apiserver.config.k8s.io/v1alpha1" in scheme "pkg/kubeapiserver/options/authentication.go:872"',
  },
  {
    name: 'str-tag',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !!str 1\n',
    decodes: true,
  },
  {
    name: 'tab-after-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url:\thttps://a.example.com\n',
    decodes: true,
  },
  {
    name: 'tab-after-spaces-after-plain',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: a\n   \t audiences: [x]\n',
    error: 'yaml: line 6: found a tab character that violates indentation',
  },
  {
    name: 'tab-before-key',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n  \turl: https://a.example.com\n',
    error: 'yaml: line 5: found character that cannot start any token',
  },
  {
    name: 'tab-comment',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\n\t# comment\njwt: []\n',
    error: 'yaml: line 3: found a tab character that violates indentation',
  },
  {
    name: 'tab-in-block-scalar',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    certificateAuthority: |\n      a\n      \tb\n    url: x\n',
    decodes: true,
  },
  {
    name: 'tab-in-flow',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [\ta]\n',
    error:
      'json: cannot unmarshal string into Go struct field AuthenticationConfiguration.jwt of type v1.JWTAuthenticator',
  },
  {
    name: 'tab-indent',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n\t- issuer: {url: https://a.example.com}\n',
    error: 'yaml: line 4: found character that cannot start any token',
  },
  {
    name: 'tab-only-line',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: []\n\t\n',
    error: 'yaml: line 4: found character that cannot start any token',
  },
  {
    name: 'timestamp',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: 2001-12-14\n',
    decodes: true,
  },
  {
    name: 'tracing-kind-jwt',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: TracingConfiguration\njwt: []\nfoo: 1\n',
    error: 'strict decoding error: unknown field "foo", unknown field "jwt"',
  },
  {
    name: 'tracing-kind',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: TracingConfiguration\nendpoint: localhost:4317\n',
    error: 'expected AuthenticationConfiguration, got *apiserver.TracingConfiguration',
  },
  {
    name: 'type-error-and-unknown',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nfoo: 1\njwt: {}\n',
    error:
      'json: cannot unmarshal object into Go struct field AuthenticationConfiguration.jwt of type []v1.JWTAuthenticator',
  },
  {
    name: 'type-error',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: 5, audiences: 7}\n',
    error:
      'json: cannot unmarshal number into Go struct field Issuer.jwt.issuer.audiences of type []string',
  },
  {
    name: 'type-then-unknown-json',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","zz":1,"jwt":{}}',
    error:
      'json: cannot unmarshal object into Go struct field AuthenticationConfiguration.jwt of type []v1.JWTAuthenticator',
  },
  {
    name: 'unclosed-flow-map',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: {a: b\n',
    error: "yaml: line 3: did not find expected ',' or '}'",
  },
  {
    name: 'unclosed-flow',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: [a, b\n',
    error: "yaml: line 3: did not find expected ',' or ']'",
  },
  {
    name: 'unclosed-quote',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: "https://a.example.com\n',
    error: 'yaml: line 6: found unexpected end of stream',
  },
  {
    name: 'unclosed-single',
    text: "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: 'abc\n",
    error: 'yaml: line 6: found unexpected end of stream',
  },
  {
    name: 'unknown-anchor',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: *nope\n',
    error: "yaml: unknown anchor 'nope' referenced",
  },
  {
    name: 'unknown-json',
    text: '{"apiVersion":"apiserver.config.k8s.io/v1","kind":"AuthenticationConfiguration","zeta":1,"alpha":2,"jwt":[{"issuer":{"url":"x","foo":1}}]}',
    error:
      'strict decoding error: unknown field "zeta", unknown field "alpha", unknown field "jwt[0].issuer.foo"',
  },
  {
    name: 'unknown-tag',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: !foo x\n',
    decodes: true,
  },
  {
    name: 'unknown-two',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\nzeta: 1\nalpha: 2\njwt:\n- issuer: {url: https://a.example.com, foo: 1}\n',
    error:
      'strict decoding error: unknown field "alpha", unknown field "jwt[0].issuer.foo", unknown field "zeta"',
  },
  {
    name: 'v99',
    text: '{"apiVersion":"apiserver.config.k8s.io/v99","kind":"AuthenticationConfiguration","authorizers":{"type":"Webhook"}}',
    error:
      'no kind "AuthenticationConfiguration" is registered for version "apiserver.config.k8s.io/v99" in scheme "pkg/kubeapiserver/options/authentication.go:872"',
  },
  {
    name: 'yaml-kind-case',
    text: 'apiVersion: apiserver.config.k8s.io/v1\nKIND: AuthenticationConfiguration\n',
    error: 'strict decoding error: unknown field "KIND"',
  },
]
