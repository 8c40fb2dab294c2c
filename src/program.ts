// The command line: every command, option and help text. Actions import their command module
// only when they run, so `logship --help` loads neither the AWS SDK nor zod.
import { Command, InvalidArgumentError, Option } from "commander";
import { parseDuration } from "./config/rules.js";
import { createRequire } from "node:module";
import { action, type CommandModules } from "./dispatch.js";
import { Output, type CommandResult } from "./ui/result.js";
import type { DeployOptions, GlobalOptions, ImageOptions, Io } from "./commands/globals.js";
import type { InitOptions } from "./commands/init.js";
import type { DestroyOptions } from "./commands/destroy.js";
import type { LogsOptions } from "./commands/logs.js";
import type { RollbackOptions } from "./commands/rollback.js";
import type { DoctorOptions } from "./commands/doctor.js";
import type { MigrateOptions } from "./commands/migrate.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const TAG = ["--tag <template>", "tag or tag template, overrides image.tag (env LOGSHIP_TAG); letters, digits, _ . - (not first), at most 128"] as const;
const NO_SMOKE = ["--no-smoke", "print the URL but skip the smoke test (for a URL this machine cannot reach); smoke.enabled: false in logship.yaml does the same"] as const;
/** A bad duration is a usage error before anything runs (not after ship has built and pushed). */
const lockWait = () => new Option("--lock-wait <duration>", "if another run holds the target's deploy lock, wait up to DURATION (90s, 10m) for it; without this a held lock is exit 1 naming its holder")
  .argParser((value) => {
    if (parseDuration(value) === undefined) throw new InvalidArgumentError(`"${value}" is not a duration: use e.g. 90s, 10m or 1h`);
    return value;
  });
const PLATFORM = new Option("--platform <platform>", "overrides image.platform").choices(["linux/amd64", "linux/arm64"]);
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;

/** `output` is the run's stdout (src/cli.ts makes one per run); the default suits a listing of the commands. */
export function buildProgram(io: Io, output: Output = new Output(io, false)): Command {
  const program = new Command("logship")
    .description("Build, push and deploy a containerised web app to AWS or this machine, from one logship.yaml.")
    .version(version, "-V, --version", "print the version")
    .option("-c, --config <path>", "config file (default: ./logship.yaml, ./logship.yml or ./logship.json)")
    .option("--region <region>", "AWS region (beats AWS_REGION, AWS_DEFAULT_REGION, the profile and the file)")
    .option("--profile <name>", "AWS shared-config profile (env AWS_PROFILE)")
    .option("-e, --env <name>", "environment: lay logship.<name>.yaml over logship.yaml (env LOGSHIP_ENV)")
    .option("--skip-hooks", "do not run .logship/hooks/* (pre-build, pre-push, pre-deploy, post-deploy)")
    .option("-n, --dry-run", "change nothing: print the exact commands and AWS calls, secrets redacted; with credentials, deploy (lambda, apprunner, ecs) and push read live state and say per step: up to date, create or update: <fields>")
    .option("--json", "print one JSON document on stdout, {command, ok, dryRun, …, error} for every command (logs: one line per event); progress stays on stderr")
    .option("--no-progress", "plain progress lines instead of spinners (automatic in CI and when piped)")
    .option("-v, --verbose", "show docker's output under each step")
    .option("--debug", "print every AWS call (operation, result, time) and stack traces for internal errors")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", examples("logship ship local", "logship push --region us-east-1", "logship deploy local --dry-run") +
      "\n\nExit codes: 0 ok · 1 deploy/runtime failure · 2 usage or config error · 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP) · 70 internal bug");

  // Commands get the run's counted stdout: only `logs` writes to it (it streams); the rest return results.
  io = { ...io, stdout: output.stdout };
  const run = <K extends keyof CommandModules, O extends GlobalOptions, A extends (string | string[])[]>(
    name: K, call: (mod: CommandModules[K], opts: O, ...args: A) => Promise<CommandResult> | CommandResult,
  ) => action(name, output, call);

  program.command("init")
    .summary("detect the app here; write logship.yaml, a Dockerfile and a .dockerignore (never overwrites without --force)")
    .description(
      "Reads pyproject.toml / requirements.txt (FastAPI, Flask) or package.json (Express, Fastify) for the entry point, " +
      "port and a health route. Writes a commented logship.yaml that validates, a Dockerfile that installs dependencies " +
      "before copying the source and runs as a non-root user, and a .dockerignore. Existing files are kept unless --force. " +
      "Targets default to local and ecs (ECS Express Mode, for new AWS accounts: App Runner closed to new customers on 30 April 2026).")
    .option("--targets <list>", "comma-separated targets to configure: local, apprunner, lambda, ecs (default: local,ecs)")
    .option("--ci <provider>", "also write a CI workflow: github (GitHub Actions, OIDC role assumption, no stored keys)")
    .option("-f, --force", "overwrite files that already exist")
    .addHelpText("after", examples("logship init", "logship init --targets local,lambda", "logship init --ci github --json"))
    .action(run("init", (m, o: InitOptions) => m.init(o, io)));

  program.command("build")
    .summary("build the app's image(s) with docker, tagged by the tag policy")
    .description(
      "Build the image for each target named (default: every configured target) with `docker build`. " +
      "Tags come from image.tag: {version} {git.sha} {git.short} {timestamp}; when the build context (after .dockerignore) or the Dockerfile " +
      "differs from the commit, a template gets -dirty.<hash>; a tag with no placeholder is used as written. An invalid tag is an error. " +
      "With BuildKit, attestations are off (--provenance=false --sbom=false) so Lambda accepts the image " +
      "(an attestation makes the pushed image an index; on Docker 29 see also `logship push --help`).")
    .argument("[targets...]", "targets whose images to build: local, apprunner, lambda, ecs")
    .option(...TAG).addOption(PLATFORM)
    .addHelpText("after", examples("logship build", "logship build --tag '{git.short}'", "logship build --dry-run"))
    .action(run("build", (m, o: ImageOptions, targets: string[]) => m.build(targets, o, io)));

  program.command("push")
    .summary("push the built image(s) to Amazon ECR or any OCI registry; print the digest")
    .description(
      "registry.type ecr (default): ensure the repository and, when an image is uploaded, its lifecycle policy; log docker in with a token " +
      "from GetAuthorizationToken (password on stdin, temporary DOCKER_CONFIG), tag and push. " +
      "registry.type generic: push to registry.url with your existing docker credentials. " +
      "When the registry already holds this image under this tag, the upload is skipped. " +
      "With the containerd image store (Docker 29's default), the push names the image's platform " +
      "(`docker push --platform`, engine API 1.46+), so the registry gets one image manifest, not an index Lambda refuses.")
    .argument("[targets...]", "targets whose images to push (default: every configured target)")
    .option(...TAG).addOption(PLATFORM)
    .addHelpText("after", examples("logship push --region us-east-1", "logship push --dry-run --json"))
    .action(run("push", (m, o: ImageOptions, targets: string[]) => m.push(targets, o, io)));

  program.command("deploy")
    .summary("deploy the built image to a target, wait, print the URL and smoke-test it")
    .description(
      "local: run the image on this machine (docker run -d); the host port is checked first, and this app's previous " +
      "container is kept until the new one answers. One run per app at a time: a second one waits. " +
      "apprunner, lambda, ecs: create or update the service or function with the image ECR holds for the current tag, " +
      "by digest; wait until it is live. Then print the URL and smoke-test smoke.path (skipped, with the reason, under " +
      "--no-smoke or smoke.enabled: false). Running it again changes nothing.")
    .argument("<target>", "local, apprunner, lambda or ecs")
    .option(...TAG).addOption(PLATFORM)
    .option("--recreate", "delete and create again what failed to create: an App Runner service that UpdateService cannot rebuild, a Lambda function in State Failed")
    .option(...NO_SMOKE).addOption(lockWait())
    .addHelpText("after", examples("logship deploy local", "logship deploy lambda --region us-east-1", "logship deploy apprunner --dry-run", "logship deploy ecs --no-smoke"))
    .action(run("deploy", (m, o: DeployOptions, target: string) => m.deploy(target, o, io)));

  program.command("ship")
    .summary("build → push → deploy in one go; targets deploy in parallel")
    .description(
      "Builds each distinct image once, pushes those a remote target needs, then deploys every target named " +
      "(default: every configured target) side by side. One target failing does not stop the others.")
    .argument("[targets...]", "local, apprunner, lambda, ecs (default: every configured target)")
    .option(...TAG).addOption(PLATFORM)
    .option("--recreate", "delete and create again what failed to create: an App Runner service that UpdateService cannot rebuild, a Lambda function in State Failed")
    .option(...NO_SMOKE).addOption(lockWait())
    .addHelpText("after", examples("logship ship local", "logship ship apprunner lambda", "logship ship --dry-run --json"))
    .action(run("ship", (m, o: DeployOptions, targets: string[]) => m.ship(targets, o, io)));

  program.command("destroy")
    .summary("remove what a target runs (local: this app's container; AWS: the service or function)")
    .description(
      "Deletes the target's service or function (and its URL and permissions) and waits until it is gone. " +
      "AWS targets ask for confirmation unless --yes, and refuse without a terminal unless --yes. " +
      "IAM roles stay unless --with-roles; the ECR repository stays unless --with-repository.")
    .argument("<target>", "local, apprunner, lambda or ecs")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--with-repository", "also delete the target's ECR repository and every image in it")
    .option("--with-roles", "also delete the IAM roles logship created for the target")
    .addOption(lockWait())
    .addHelpText("after", examples("logship destroy local", "logship destroy lambda --yes --with-roles"))
    .action(run("destroy", (m, o: DestroyOptions, target: string) => m.destroy(target, o, io)));

  program.command("status")
    .summary("show each target: deployed or not, state, URL, image, last deploy time")
    .description("Reads the state back from where each target runs (the local Docker engine, AWS); logship keeps no state file. " +
      "local shows docker's state, restart count and last exit code. Exit 1 when a target exists but does not serve (a crash loop).")
    .argument("[targets...]", "targets to show (default: every configured target)")
    .addHelpText("after", examples("logship status", "logship status local --json"))
    .action(run("status", (m, o: GlobalOptions, targets: string[]) => m.status(targets, o, io)));

  program.command("logs")
    .summary("show the app's own output (CloudWatch Logs; docker logs for local); --follow to keep watching")
    .description(
      "Reads where each target writes: Lambda /aws/lambda/<function> (or its custom log group), App Runner " +
      "/aws/apprunner/<service>/<id>/application, ECS the awslogs group of the service's task definition, local " +
      "`docker logs` of logship-<app>. One line per event: time, stream, message; with --json one JSON object per " +
      "line (JSON Lines). Ctrl-C stops --follow (exit 130).")
    .argument("<target>", "local, apprunner, lambda or ecs")
    .option("-f, --follow", "keep polling for new events every 2 s until Ctrl-C")
    .option("--since <time>", "start this long ago (30s, 10m, 2h, 1d) or at an ISO time (default: 10m)")
    .option("--filter <text>", "only events containing TEXT (case-sensitive); a CloudWatch pattern (\"…\", {…}, […], %regex%) is used as is")
    .addHelpText("after", examples("logship logs lambda", "logship logs apprunner --follow --filter ERROR", "logship logs ecs --since 2h --json | jq -r .message"))
    .action(run("logs", (m, o: LogsOptions, target: string) => m.logs(target, o, io)));

  program.command("rollback")
    .summary("go back to the previous (or a given) release of a target, wait and smoke-test")
    .description(
      "Lambda moves the alias (default live) to the previous or given version. App Runner and ECS redeploy the " +
      "previous or given image digest, as recorded on the resource (no local state file).")
    .argument("<target>", "apprunner, lambda or ecs")
    .option("--to <release>", "a Lambda version number, or an image digest sha256:… (see `logship releases`)")
    .option("--restore", "if ECR archived the image, restore it first and wait until it can be pulled (up to 20 minutes)")
    .option(...NO_SMOKE).addOption(lockWait())
    .addHelpText("after", examples("logship rollback lambda", "logship rollback apprunner --to sha256:4f1c…", "logship rollback ecs --restore"))
    .action(run("rollback", (m, o: RollbackOptions, target: string) => m.rollback(target, o, io)));

  program.command("releases")
    .summary("list what a target can roll back to; * marks the live one, [archived] an image ECR must restore first")
    .argument("<target>", "apprunner, lambda or ecs")
    .addHelpText("after", examples("logship releases lambda", "logship releases ecs --json"))
    .action(run("rollback", (m, o: GlobalOptions, target: string) => m.releases(target, o, io)));

  const lock = program.command("lock")
    .summary("show or break a target's deploy lock (held in SSM by deploy, ship, rollback, destroy, doctor --fix)")
    .description(
      "Every writing command takes /logship/<app>/<target>/lock in SSM Parameter Store first and renews it while it works; " +
      "a crashed run's lock expires after lock.ttl (default 10m). `lock: false` in logship.yaml turns it off.");
  lock.command("status")
    .summary("who holds the target's deploy lock, since when and until when")
    .argument("<target>", "apprunner, lambda or ecs")
    .addHelpText("after", examples("logship lock status lambda", "logship lock status ecs --json"))
    .action(run("lock", (m, o: GlobalOptions, target: string) => m.lockStatus(target, o, io)));
  lock.command("release")
    .summary("break the target's deploy lock (asks first; refuses without a terminal unless --yes)")
    .argument("<target>", "apprunner, lambda or ecs")
    .option("-y, --yes", "break it without asking")
    .addHelpText("after", examples("logship lock release lambda", "logship lock release ecs --yes"))
    .action(run("lock", (m, o: GlobalOptions, target: string) => m.lockRelease(target, o, io)));

  program.command("migrate")
    .summary("write targets.ecs from a live App Runner service (a way off App Runner); never deletes it")
    .description(
      "apprunner-to-ecs: reads the App Runner service (image, port, env vars and secret references, cpu/memory, " +
      "health check) and writes the equivalent targets.ecs block into logship.yaml, showing the diff and asking first " +
      "unless --yes. Then `logship deploy ecs` brings the same app up on ECS Express Mode.")
    .argument("<migration>", "apprunner-to-ecs")
    .option("--service <name>", "App Runner service (default: targets.apprunner.service)")
    .option("-y, --yes", "write without asking")
    .addHelpText("after", examples("logship migrate apprunner-to-ecs", "logship migrate apprunner-to-ecs --service legacy-api --yes"))
    .action(run("migrate", (m, o: MigrateOptions, migration: string) => m.migrate(migration, o, io)));

  program.command("doctor")
    .summary("check Docker, AWS credentials, region and config; audit deployed targets; lint the Dockerfile")
    .description(
      "Each finding says what is wrong, why it matters and how to fix it; exit 1 when an error is found. " +
      "Audits: a public Lambda function URL missing the InvokeFunction permission (required since October 2025), " +
      "App Runner automatic deployments left on, image architecture vs target, Dockerfile habits.")
    .option("--fix", "repair what can be repaired safely (adds a missing function-URL permission), holding the target's deploy lock")
    .addOption(lockWait())
    .addHelpText("after", examples("logship doctor", "logship doctor --fix", "logship doctor --json"))
    .action(run("doctor", (m, o: DoctorOptions) => m.doctor(o, io)));

  program.command("schema")
    .summary("print the JSON Schema of logship.yaml, for editor completion (with --json: in the envelope's schema field)")
    .addHelpText("after", examples("logship schema > logship.schema.json"))
    .action(run("schema", (m, o: GlobalOptions) => m.schema(o)));

  program.exitOverride();
  // Help and --version are data (stdout, through the run's Output); commander's errors are messages (stderr).
  const streams = { writeOut: (s: string) => output.stdout.write(s), writeErr: (s: string) => io.stderr.write(s) };
  program.configureOutput(streams);
  for (const cmd of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    cmd.exitOverride();
    cmd.configureOutput(streams);
  }
  return program;
}
