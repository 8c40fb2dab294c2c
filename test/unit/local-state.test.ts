// How docker's container state is put in words (status local, deploy local's "is the old one
// serving?"), and which published ports clash with the one deploy local wants. The inspect
// shapes are Docker 20.10's, read from this machine's engine.
import { describe, expect, it } from "vitest";
import { describeState, type ContainerJson } from "../../src/targets/local/container.js";
import { clashes, containerBindings } from "../../src/targets/local/port.js";

const NOW = Date.parse("2026-12-01T21:00:50Z");
const container = (state: ContainerJson["State"], restartCount = 0): ContainerJson =>
  ({ Id: "abc", Name: "/logship-app", Image: "sha256:1", RestartCount: restartCount, State: state });

describe("describeState", () => {
  it.each([
    ["running", { Status: "running", Running: true, StartedAt: "2026-12-01T20:00:00Z" }, 0, undefined,
      { serving: true, state: "running", restartCount: 0 }],
    ["crash loop between runs (docker ps: Restarting (3))", { Status: "restarting", Running: true, Restarting: true, ExitCode: 3 }, 7, undefined,
      { serving: false, state: "restarting (exit code 3, 7 restarts)", exitCode: 3,
        problem: "logship-app keeps crashing: it exited with code 3 and docker is restarting it (7 restarts so far)" }],
    // Sampled while it runs for its two seconds: State.ExitCode is 0 again, the die event keeps the 3.
    ["crash loop, caught running right after a restart", { Status: "running", Running: true, ExitCode: 0, StartedAt: "2026-12-01T21:00:46Z" }, 2, 3,
      { serving: false, state: "running (2 restarts, last exit code 3)", exitCode: 3,
        problem: "logship-app keeps crashing: docker restarted it 4s ago after it exited with code 3 (2 restarts so far)" }],
    ["restarted long ago, up since", { Status: "running", Running: true, StartedAt: "2026-12-01T20:00:00Z" }, 1, 137,
      { serving: true, state: "running (1 restart, last exit code 137)", exitCode: 137 }],
    ["exited", { Status: "exited", Running: false, ExitCode: 1 }, 0, undefined,
      { serving: false, state: "exited (code 1)", exitCode: 1, problem: "logship-app is not running: it exited with code 1" }],
    ["killed for memory", { Status: "exited", Running: false, ExitCode: 137, OOMKilled: true }, 0, undefined,
      { serving: false, state: "exited (code 137, killed: out of memory)", problem: "logship-app is not running: it exited with code 137, killed: out of memory" }],
    ["unhealthy", { Status: "running", Running: true, StartedAt: "2026-12-01T20:00:00Z", Health: { Status: "unhealthy" } }, 0, undefined,
      { serving: false, state: "running (unhealthy)", problem: "logship-app runs but its HEALTHCHECK says unhealthy" }],
    ["paused", { Status: "paused", Running: true, Paused: true }, 0, undefined,
      { serving: false, state: "paused", problem: "logship-app is paused (`docker unpause logship-app`)" }],
    ["created, never started", { Status: "created", Running: false, ExitCode: 0 }, 0, undefined,
      { serving: false, state: "created", problem: "logship-app is not running (docker says created)" }],
  ] as const)("%s", (_name, state, restarts, lastCrash, want) => {
    expect(describeState(container(state, restarts), NOW, lastCrash)).toMatchObject(want);
  });
});

describe("published ports that clash with the one deploy local wants", () => {
  const c: ContainerJson = {
    Id: "x", Image: "i",
    // NetworkSettings: what it holds now; HostConfig: what it takes again when docker restarts it.
    NetworkSettings: { Ports: { "8080/tcp": [{ HostIp: "0.0.0.0", HostPort: "8000" }, { HostIp: "::", HostPort: "8000" }], "9/udp": null } },
    HostConfig: { PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "9000-9002" }], "81/tcp": [{ HostIp: "", HostPort: "" }] } },
  };
  const bindings = containerBindings(c);

  it("reads single ports and ranges, and skips ports docker picks", () => {
    expect(bindings).toEqual([
      { ip: "0.0.0.0", from: 8000, to: 8000 },
      { ip: "::", from: 8000, to: 8000 },
      { ip: "127.0.0.1", from: 9000, to: 9002 },
    ]);
  });

  it.each([
    ["127.0.0.1", 8000, true], // a wildcard bind covers every address
    ["0.0.0.0", 9001, true], // ... and so does the one we want
    ["127.0.0.1", 9002, true],
    ["192.168.1.5", 9001, false], // another address, same port: both can bind
    ["127.0.0.1", 8001, false],
  ] as const)("%s:%s → %s", (ip, port, clash) => {
    expect(bindings.some((b) => clashes(b, ip, port))).toBe(clash);
  });
});
