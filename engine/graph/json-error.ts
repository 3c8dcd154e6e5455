// Locates the first syntax error in a JSON text. JSON.parse's messages differ between engines and
// often carry no position ("… is not valid JSON"), so the loader rescans the text to say where.

export interface JsonErrorLocation {
  position: number;
  reason: string;
}

export function locateJsonError(text: string): JsonErrorLocation {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (reason: string): never => {
    throw { position: i, reason } satisfies JsonErrorLocation;
  };
  const found = () => (i >= text.length ? 'the end of the text' : `'${text[i]}'`);
  const unexpected = () => (i >= text.length ? 'unexpected end of the text' : `unexpected '${text[i]}'`);
  const literal = (word: string) => {
    if (!text.startsWith(word, i)) fail(unexpected());
    i += word.length;
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('control character inside a string (write \\n, \\t, …)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail(`bad escape '\\${text[i] ?? ''}'`);
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${found()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after the property name, found ${found()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail(`expected ',' or '}' after a property value, found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail(`expected ',' or ']' after an array element, found ${found()}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return;
    }
    fail(`${unexpected()} where a value should be`);
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`${unexpected()} after the end of the JSON value`);
  } catch (e) {
    if (typeof e === 'object' && e && 'position' in e) return e as JsonErrorLocation;
    throw e;
  }
  return { position: text.length, reason: 'invalid JSON' };
}
