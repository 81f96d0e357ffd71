/** `/` under plain `next start` goes to the dashboard, as the agent's `GET /` does (301 to /ui/). */
import { redirect } from 'next/navigation';

export default function Root() {
  redirect('/ui');
}
