/** Consul's mark, drawn inline (a ring of dots in Consul pink) so no asset is fetched. */
export function ConsulLogo({ className = '' }: { className?: string }) {
  const dots = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
    const a = ((i * 36 + 72) * Math.PI) / 180;
    return { x: 12 + 9 * Math.cos(a), y: 12 + 9 * Math.sin(a) };
  });
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden>
      <circle cx="12" cy="12" r="4" fill="currentColor" />
      {dots.map((d) => (
        <circle key={`${d.x.toFixed(2)}-${d.y.toFixed(2)}`} cx={d.x.toFixed(2)} cy={d.y.toFixed(2)} r="1.6" fill="currentColor" />
      ))}
    </svg>
  );
}
