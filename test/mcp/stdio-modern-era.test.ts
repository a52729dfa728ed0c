// A 2026-07-28 client over stdio: per-request envelopes, and job updates delivered on a
// subscriptions/listen stream instead of resources/subscribe.
import { expect, it } from "vitest";
import { structured, useStdioSession } from "../helpers/mcp.js";

const session = useStdioSession({}, { modern: true });

it("negotiates 2026-07-28 and delivers job updates on a listen stream", async () => {
  expect(session.s.client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
  const updates: string[] = [];
  session.s.client.setNotificationHandler("notifications/resources/updated", (n) => void updates.push(n.params.uri));
  const sub = structured<{ job_id: string; episode_id: string }>(
    await session.s.client.callTool({
      name: "generate_podcast",
      arguments: {
        episode_profile: "solo_expert",
        episode_name: "Modern",
        script: [{ speaker: "Sam", text: "Listening streams carry the updates now." }],
      },
    }),
  );
  const listen = await session.s.client.listen({ resourceSubscriptions: [`podcast://jobs/${sub.job_id}`] });
  let status = "";
  const deadline = Date.now() + 60_000;
  while (!["completed", "failed"].includes(status) && Date.now() < deadline) {
    status = structured<{ status: string }>(
      await session.s.client.callTool({ name: "get_job_status", arguments: { job_id: sub.job_id, wait_seconds: 10 } }),
    ).status;
  }
  expect(status).toBe("completed");
  await new Promise((r) => setTimeout(r, 300));
  expect(updates).toContain(`podcast://jobs/${sub.job_id}`);
  await listen.close();
});
