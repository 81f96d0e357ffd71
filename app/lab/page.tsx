/** `/lab`: the in-tab cluster lab (client-rendered: the cluster runs in the browser). */
import { Suspense } from 'react';
import { LabPage } from './lab-page.tsx';

export default function Page() {
  return (
    <Suspense fallback={<p className="p-6 text-sm text-slate-500">Starting the lab…</p>}>
      <LabPage />
    </Suspense>
  );
}
