// A bare page for the lab tab runtime (no React): lab-tab-harness.ts serves it for fast runs.
import { startTabController } from '../../lab/node/tab-controller.ts';

const el = document.getElementById('state');
startTabController(location.search, location.origin, (h) => {
  if (el) el.textContent = JSON.stringify({ status: h.status, error: h.error, leader: h.leader, term: h.term, commit: h.commitIndex, members: h.members, peers: h.state?.peers }, null, 1);
});
