import { describe, expect, it } from 'vitest';
import { parseHcl } from './hcl.ts';

describe('parseHcl', () => {
  it('parses attributes, blocks, nested objects, lists and comments', () => {
    const doc = parseHcl(`
      # comment
      datacenter = "dc1" // trailing
      /* block
         comment */
      server = true
      bootstrap_expect = 3
      ratio = 1.5
      hex = 0x1F
      retry_join = ["10.0.0.1", "10.0.0.2",]
      ports {
        http = 8501
        dns = -1
      }
      ui_config = { enabled = true }
      "quoted key" = "v"
    `);
    expect(doc).toEqual({
      datacenter: 'dc1',
      server: true,
      bootstrap_expect: 3,
      ratio: 1.5,
      hex: 31,
      retry_join: ['10.0.0.1', '10.0.0.2'],
      ports: { http: 8501, dns: -1 },
      ui_config: { enabled: true },
      'quoted key': 'v',
    });
  });

  it('collects repeated blocks into a list and nests labelled blocks', () => {
    const doc = parseHcl(`
      service { name = "web" port = 80 }
      service {
        name = "db"
        check { tcp = "localhost:5432" interval = "10s" }
      }
      a "b" "c" { d = 1 }
    `);
    expect(doc.service).toEqual([{ name: 'web', port: 80 }, { name: 'db', check: { tcp: 'localhost:5432', interval: '10s' } }]);
    expect(doc.a).toEqual({ b: { c: { d: 1 } } });
  });

  it('reads escapes, keeps interpolations literal, and parses heredocs', () => {
    const doc = parseHcl(
      'a = "x\\"y\\n\\u00e9"\nb = "${node.name}"\nc = <<EOF\nline1\n  line2\nEOF\nd = <<-EOT\n    one\n      two\n    EOT\n',
    );
    expect(doc).toEqual({ a: 'x"y\né', b: '${node.name}', c: 'line1\n  line2\n', d: 'one\n  two\n' });
  });

  it.each([
    ['a = ', /^At 1:5: Unknown token: EOF/],
    ['a = "unterminated', /^At 1:5: literal not terminated/],
    ['a b = 1', /nested object expected/],
    ['a = [1 2]', /^At 1:8: expected: COMMA/],
    ['ports { http = 1', /expected '}'/],
    ['a = @', /illegal char "@"/],
    ['x = <<EOF\nno end\n', /heredoc not terminated/],
  ])('rejects %j with a positioned error', (src, msg) => {
    expect(() => parseHcl(src)).toThrow(msg);
  });
});
