/** Key/value metadata shown as a two-column table. */
import { Empty } from './states.tsx';

export function MetaTable({ meta, caption }: { meta: Record<string, string> | null | undefined; caption: string }) {
  const rows = Object.entries(meta ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return <Empty title="No metadata">This entry has no {caption.toLowerCase()}.</Empty>;
  return (
    <table className="w-full overflow-hidden rounded-md border border-line bg-surface text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="bg-canvas text-left text-fg-faint">
        <tr>
          <th scope="col" className="px-4 py-2 font-medium">
            Key
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            Value
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k} className="border-t border-line">
            <td className="break-all px-4 py-2 font-mono text-xs">{k}</td>
            <td className="break-all px-4 py-2 font-mono text-xs">{v === '' ? <span className="text-fg-faint">(empty)</span> : v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
