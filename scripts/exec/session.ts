// What ECS Exec into one of a service's tasks needs before the AWS CLI opens the session: a command the
// image can run, the CLI and its Session Manager plugin, and a running task started with ECS Exec on.
import * as fs from "node:fs";
import * as path from "node:path";
import { DescribeTasksCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import { AwsClients, call } from "../operator/aws";
import { OperatorError } from "../operator/command";
import { taskIdOf } from "../operator/logLine";
import { ServiceTarget } from "../operator/outputs";

/** The tools `aws ecs execute-command` runs on, with where to get each. */
export const requiredTools = [
    { name: "aws", install: "the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" },
    { name: "session-manager-plugin", install: "the Session Manager plugin for the AWS CLI: "
        + "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html" },
];

/** Whether an executable file `name` is in one of PATH's folders. */
export function onPath(name: string, pathVariable = process.env.PATH ?? ""): boolean {
    return pathVariable.split(path.delimiter).filter(Boolean).some((dir) => {
        try {
            fs.accessSync(path.join(dir, name), fs.constants.X_OK);
            return fs.statSync(path.join(dir, name)).isFile();
        } catch {
            return false;
        }
    });
}

/** The command to run: the one given, else a shell, which app-image (chiseled, nothing but the app) does not have. */
export function sessionCommand(target: ServiceTarget, words: string[]): string {
    if (words.length > 0) return words.join(" ");
    if (target.appImage === true) {
        throw new OperatorError(`service ${target.key} runs app-image, a chiseled .NET image with no shell: give the command to run, `
            + `e.g. npm run exec -- ${target.key} /app/EcsApp --health-check`);
    }
    return "/bin/sh";
}

/** Refuses, naming what to install, when a tool the session needs is not on PATH. */
export function checkTools(found: (name: string) => boolean): void {
    const missing = requiredTools.filter((tool) => !found(tool.name));
    if (missing.length > 0) {
        throw new OperatorError(`ECS Exec runs through \`aws ecs execute-command\`, which needs ${missing.map((t) => t.name).join(" and ")} `
            + `on PATH; install ${missing.map((t) => t.install).join("; and ")}`);
    }
}

/** The ARN of a running task of the service that has ECS Exec on, or why there is none. */
export async function execTask(aws: AwsClients, target: ServiceTarget): Promise<string> {
    const cluster = target.clusterName;
    const listed = await call(aws, "ECS ListTasks", (o) => aws.ecs.send(
        new ListTasksCommand({ cluster, serviceName: target.serviceName, desiredStatus: "RUNNING" }), o));
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) throw new OperatorError(`service ${target.key} (${target.serviceName}) has no running task in ${cluster}`);
    const described = await call(aws, "ECS DescribeTasks", (o) => aws.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }), o));
    const running = (described.tasks ?? []).filter((task) => task.lastStatus === "RUNNING");
    if (running.length === 0) throw new OperatorError(`service ${target.key} (${target.serviceName}) has no task in RUNNING yet in ${cluster}`);
    const task = running.find((t) => t.enableExecuteCommand === true);
    if (task?.taskArn === undefined) {
        throw new OperatorError(`the tasks of service ${target.key} run without ECS Exec (enableExecuteCommand is false on `
            + `${running.map((t) => taskIdOf(t.taskArn)).join(", ")}): set \`exec: true\` on the service `
            + `(pulumi config set --path 'services.${target.key}.exec' true) and deploy; the tasks that deployment starts have it`);
    }
    return task.taskArn;
}

/** The `aws` command line that opens the session, interactive. */
export function executeCommandArgs(target: ServiceTarget, taskArn: string, command: string): string[] {
    return ["ecs", "execute-command", "--region", target.region, "--cluster", target.clusterName, "--task", taskArn,
        "--container", target.key, "--interactive", "--command", command];
}
