// A generated part of a Markdown file sits between `<!-- name:start -->` and `<!-- name:end -->`.

export function markedSection(text: string, name: string): string {
  const [start, end] = markersOf(name)
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`no ${start} … ${end} section`)
  return text.slice(from + start.length, to).trim()
}

export function replaceMarkedSection(text: string, name: string, content: string): string {
  const [start, end] = markersOf(name)
  markedSection(text, name)
  return `${text.slice(0, text.indexOf(start) + start.length)}\n${content}\n${text.slice(text.indexOf(end))}`
}

function markersOf(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]
}
