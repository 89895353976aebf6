/**
 * A small, strict XML well-formedness checker and parser for the report's SVG and HTML, so
 * the tests need no dependency. It accepts a subset of XML 1.0 that is enough for what the
 * report writes and rejects anything doubtful:
 *
 * - exactly one root element, with only whitespace and comments around it (and, in HTML
 *   mode, a leading `<!DOCTYPE html>`);
 * - tags balanced and properly nested, names `[A-Za-z_:][-A-Za-z0-9_:.]*`;
 * - every attribute `name="value"` or `name='value'`, separated by whitespace, no duplicates,
 *   no `<` in values;
 * - `&` only in the references `&amp; &lt; &gt; &quot; &apos;`, `&#N;` and `&#xH;`, naming a
 *   character XML allows;
 * - no `]]>` in text, no `--` inside comments, no CDATA, no processing instructions but a
 *   leading `<?xml ...?>`, only characters XML allows.
 *
 * HTML mode adds what makes XML-looking markup mean the same to an HTML5 parser: void
 * elements (`meta`, `br`, ...) are written self-closed and nothing else in the HTML namespace
 * is (inside `<svg>` self-closing is fine), and `<style>` / `<script>` text has no `&`
 * (HTML does not decode references there).
 */

export interface XmlElement {
  readonly name: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlNode>
  /** Whether it was written `<name ... />`. */
  readonly selfClosed: boolean
}

export type XmlNode = XmlElement | string

export class XmlError extends Error {
  override readonly name = 'XmlError'
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y
const SPACE = /[ \t\r\n]*/y
const HTML_VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Whether XML 1.0 allows the code point `cp` in a document. */
export const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)

/** Parses `text` strictly; throws an `XmlError` with the offset and line of the first problem. */
export const parseXml = (text: string, options: { readonly html?: boolean } = {}): XmlElement => {
  const html = options.html === true
  let pos = 0

  const fail = (message: string, at = pos): never => {
    const line = text.slice(0, at).split('\n').length
    throw new XmlError(`${message} at offset ${at} (line ${line}): ${JSON.stringify(text.slice(at, at + 40))}`)
  }

  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number
    if (!isXmlChar(cp)) fail(`character U+${cp.toString(16).toUpperCase()} is not allowed in XML`, i)
    if (cp > 0xffff) i++
  }

  const skipSpace = (): void => {
    SPACE.lastIndex = pos
    SPACE.exec(text)
    pos = SPACE.lastIndex
  }
  const name = (): string => {
    NAME.lastIndex = pos
    const m = NAME.exec(text)
    if (m === null) return fail('expected a name')
    pos = NAME.lastIndex
    return m[0]
  }
  /** Decodes references in a run of text or an attribute value. */
  const decode = (raw: string, start: number): string =>
    raw.replace(/&([^;&]*);?/g, (whole, body: string, offset: number) => {
      if (!whole.endsWith(';')) return fail('"&" not starting a reference ending in ";"', start + offset)
      const named = ENTITIES[body]
      if (named !== undefined) return named
      const m = /^#(?:([0-9]+)|x([0-9A-Fa-f]+))$/.exec(body)
      if (m === null) return fail(`unknown entity "&${body};"`, start + offset)
      const cp = m[1] !== undefined ? Number(m[1]) : parseInt(m[2] as string, 16)
      if (!Number.isSafeInteger(cp) || !isXmlChar(cp)) return fail(`reference "&${body};" names no XML character`, start + offset)
      return String.fromCodePoint(cp)
    })
  const comment = (): void => {
    const end = text.indexOf('-->', pos + 4)
    if (end < 0) fail('unterminated comment')
    if (text.slice(pos + 4, end).includes('--') || text[end - 1] === '-') fail('"--" inside a comment')
    pos = end + 3
  }
  /** Whitespace and comments between top-level items. */
  const misc = (): void => {
    for (;;) {
      skipSpace()
      if (text.startsWith('<!--', pos)) comment()
      else return
    }
  }

  const element = (inSvg: boolean): XmlElement => {
    const start = pos
    pos++ // '<'
    const tag = name()
    const svg = inSvg || tag === 'svg'
    const attrs: Record<string, string> = {}
    for (;;) {
      const before = pos
      skipSpace()
      if (text.startsWith('/>', pos) || text[pos] === '>') break
      if (pos === before) fail(`expected whitespace before an attribute of <${tag}>`)
      const attr = name()
      if (Object.hasOwn(attrs, attr)) fail(`duplicate attribute "${attr}" on <${tag}>`)
      skipSpace()
      if (text[pos] !== '=') fail(`attribute "${attr}" of <${tag}> has no value`)
      pos++
      skipSpace()
      const quote = text[pos]
      if (quote !== '"' && quote !== "'") fail(`attribute "${attr}" of <${tag}> is not quoted`)
      const end = text.indexOf(quote as string, pos + 1)
      if (end < 0) fail(`unterminated value of attribute "${attr}"`)
      const raw = text.slice(pos + 1, end)
      if (raw.includes('<')) fail(`"<" in the value of attribute "${attr}"`, pos + 1 + raw.indexOf('<'))
      attrs[attr] = decode(raw, pos + 1)
      pos = end + 1
    }
    const selfClosed = text.startsWith('/>', pos)
    pos += selfClosed ? 2 : 1
    if (html && !svg) {
      const isVoid = HTML_VOID.has(tag.toLowerCase())
      if (isVoid && !selfClosed) fail(`the void element <${tag}> must be written self-closed`, start)
      if (!isVoid && selfClosed) fail(`<${tag}/> is not self-closing in HTML; write <${tag}></${tag}>`, start)
    }
    const children: XmlNode[] = []
    if (!selfClosed) {
      for (;;) {
        if (pos >= text.length) fail(`<${tag}> is never closed`, start)
        if (text.startsWith('</', pos)) {
          pos += 2
          const closing = name()
          if (closing !== tag) fail(`</${closing}> closes <${tag}>`)
          skipSpace()
          if (text[pos] !== '>') fail(`expected ">" to end </${closing}>`)
          pos++
          break
        }
        if (text.startsWith('<!--', pos)) comment()
        else if (text.startsWith('<![CDATA[', pos) || text.startsWith('<?', pos) || text.startsWith('<!', pos)) fail('CDATA, processing instructions and declarations are not allowed here')
        else if (text[pos] === '<') children.push(element(svg))
        else {
          const next = text.indexOf('<', pos)
          const end = next < 0 ? text.length : next
          const raw = text.slice(pos, end)
          if (raw.includes(']]>')) fail('"]]>" in text', pos + raw.indexOf(']]>'))
          if (html && !svg && (tag === 'style' || tag === 'script') && raw.includes('&')) fail(`"&" inside <${tag}> (HTML does not decode it there)`, pos)
          children.push(decode(raw, pos))
          pos = end
        }
      }
    }
    return { name: tag, attributes: attrs, children, selfClosed }
  }

  if (text.startsWith('<?xml', pos)) {
    const end = text.indexOf('?>', pos)
    if (end < 0) fail('unterminated XML declaration')
    pos = end + 2
  }
  misc()
  if (html) {
    const m = /^<!DOCTYPE html>/i.exec(text.slice(pos))
    if (m === null) fail('an HTML document must start with <!DOCTYPE html>')
    pos += (m as RegExpExecArray)[0].length
    misc()
  }
  if (text[pos] !== '<' || !/[A-Za-z_:]/.test(text[pos + 1] ?? '')) fail('expected the root element')
  const root = element(false)
  misc()
  if (pos !== text.length) fail('content after the root element (there must be exactly one root)')
  return root
}

/** Throws an `XmlError` unless `text` is well-formed XML with one root (as `parseXml`); returns the root. */
export const wellFormedXml = (text: string): XmlElement => parseXml(text)

/** Throws an `XmlError` unless `text` is an HTML5 document written as well-formed XML (as `parseXml` in HTML mode). */
export const wellFormedHtml = (text: string): XmlElement => parseXml(text, { html: true })

/** Every element under (and including) `root`, in document order, that satisfies `test`. */
export const findAll = (root: XmlElement, test: (e: XmlElement) => boolean): ReadonlyArray<XmlElement> => {
  const out: XmlElement[] = []
  const walk = (e: XmlElement): void => {
    if (test(e)) out.push(e)
    for (const c of e.children) if (typeof c !== 'string') walk(c)
  }
  walk(root)
  return out
}

/** The decoded text under `node`, concatenated in document order. */
export const textContent = (node: XmlNode): string => (typeof node === 'string' ? node : node.children.map(textContent).join(''))
