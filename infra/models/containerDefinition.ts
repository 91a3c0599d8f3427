import * as pulumi from "@pulumi/pulumi";

/** The one container of a service's task; every field is the stack's decision, nothing is left to ECS defaults. */
export interface ContainerArgs {
    readonly name: string;
    /** Image reference by digest (`repository@sha256:…`), so a new image is a new task definition revision. */
    readonly image: pulumi.Input<string>;
    readonly cpu: number;
    readonly memory: number;
    /** Absent: the container takes no inbound traffic (a worker), and has no port mapping. */
    readonly containerPort?: number;
    /**
     * The port mapping's name, for a Service Connect server: the ECS service's `portName` refers to it. Absent for
     * a port only the ALB reaches, which keeps those task definitions as they were.
     */
    readonly portName?: string;
    /** Seconds between SIGTERM and SIGKILL; the app drains in-flight requests within it. */
    readonly stopTimeout: number;
    /** `uid[:gid]` the container runs as; absent: the image's own USER. */
    readonly user?: string;
    /** Exec-form command instead of the image's CMD; absent: the image's own. */
    readonly command?: readonly string[];
    readonly readonlyRootFilesystem: boolean;
    readonly environment: Readonly<Record<string, string>>;
    /** Environment variables ECS reads from Secrets Manager or SSM when the task starts, by ARN (`valueFrom`). */
    readonly secrets: Readonly<Record<string, string>>;
    /** Exec-form command ECS runs inside the container to check it; empty: none. */
    readonly healthCheckCommand: readonly string[];
    readonly logGroupName: pulumi.Input<string>;
    readonly region: string;
    /** ECS Exec is on: an init process, and the SSM agent's paths on the task's `execAgentVolumes`. */
    readonly exec: boolean;
}

/**
 * Where ECS Exec's SSM agent writes inside the container, each on a task volume of its own, so that it runs under a
 * read-only root (AWS documents a read-only root as unsupported with exec; mounting the agent's paths writable is
 * the workaround users report in github.com/aws/containers-roadmap/issues/1359 and
 * github.com/aws-containers/amazon-ecs-exec-checker/issues/71). Its state, under /var/lib/amazon/ssm, needs one; its
 * logs, /var/log/amazon/ssm, already are a writable bind mount the ECS agent adds on EC2 (from /var/log/ecs/exec
 * on the host: amazon-ecs-agent's agent/engine/execcmd/manager_init_task_linux.go), and a second mount there is a
 * Docker "duplicate mount point" error. The volume has no host path: Docker makes it, and removes it with the task.
 */
export const execAgentVolumes = [{ name: "ssm-agent-state", containerPath: "/var/lib/amazon/ssm" }] as const;

// ECS's own health check: every 10 s, 3 failures in a row (after a 15 s start grace) replace the container.
// interval/timeout/retries spelled out as DescribeTaskDefinition returns them, so they never show as a diff.
const containerHealthCheck = { interval: 10, timeout: 3, retries: 3, startPeriod: 15 } as const;

/**
 * The container definition JSON in its canonical form: what the Terraform provider compares equal to what
 * DescribeTaskDefinition returns, so a second `pulumi up` creates no new revision. Key order does not
 * matter to that comparison; fields ECS may leave out of its answer (an empty `secretOptions`,
 * `privileged: false`) are left out here too.
 */
export function containerDefinitions(args: ContainerArgs): pulumi.Output<string> {
    return pulumi.jsonStringify([{
        name: args.name,
        image: args.image,
        cpu: args.cpu,
        memory: args.memory,
        // DescribeTaskDefinition answers [] for a container without port mappings: sent as such, it shows no diff.
        portMappings: args.containerPort === undefined ? [] : [{
            containerPort: args.containerPort,
            // 0 asks ECS for a dynamic host port, so any number of tasks share a host.
            hostPort: 0,
            protocol: "tcp",
            // appProtocol http: the Service Connect proxy then handles HTTP (retries, HTTP status metrics)
            // rather than plain TCP. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html
            ...(args.portName === undefined ? {} : { name: args.portName, appProtocol: "http" }),
        }],
        essential: true,
        ...(args.command ? { command: args.command } : {}),
        environment: Object.keys(args.environment).sort().map((name) => ({ name, value: args.environment[name] })),
        ...(Object.keys(args.secrets).length > 0
            ? { secrets: Object.keys(args.secrets).sort().map((name) => ({ name, valueFrom: args.secrets[name] })) } : {}),
        ...(args.healthCheckCommand.length > 0 ? { healthCheck: { command: ["CMD", ...args.healthCheckCommand], ...containerHealthCheck } } : {}),
        stopTimeout: args.stopTimeout,
        ...(args.user ? { user: args.user } : {}),
        readonlyRootFilesystem: args.readonlyRootFilesystem,
        // The init process reaps the agent's orphaned children (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html).
        // No empty `capabilities` beside it: ECS drops one on read-back, and the provider would then see a change on every up.
        ...(args.exec ? {
            linuxParameters: { initProcessEnabled: true },
            mountPoints: execAgentVolumes.map((volume) => ({ sourceVolume: volume.name, containerPath: volume.containerPath, readOnly: false })),
        } : {}),
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": args.logGroupName,
                "awslogs-region": args.region,
                "awslogs-stream-prefix": args.name,
            },
        },
    }]);
}
