import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions } from "../aliases";
import { EcsCluster } from "../components/ecsCluster";
import { ImageRepository } from "../components/imageRepository";
import { ServiceConfig } from "../config";
import { secretsManagerArn, ssmParameterArn } from "../config/services";
import { containerDefinitions, execAgentVolumes } from "../models/containerDefinition";
import { assumeRolePolicy } from "../models/iam";

// ECS waits this long after SIGTERM before SIGKILL; the app drains within 5 s less.
const stopTimeoutSeconds = 30;

export interface ServiceTaskDefinitionArgs {
    readonly service: ServiceConfig;
    /** `project-stack`: names the task family. */
    readonly stackName: string;
    readonly region: string;
    /** The cluster, whose exec log group a service with `exec` logs its sessions to. */
    readonly cluster: EcsCluster;
    /** The service's repository and the image pushed to it, which the task pins by digest. */
    readonly image: ImageRepository;
    readonly logGroup: cloudwatch.LogGroup;
    /** The service's tag (infra/models/tags.ts), on the task definition and its roles; the provider adds the stack's. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The task: one bridge-mode container, its port mapped to a dynamic host port, with its roles. */
export function serviceTaskDefinition(args: ServiceTaskDefinitionArgs, child: ChildOptions): ecs.TaskDefinition {
    const { service, image, logGroup, tags } = args;
    const name = service.name;
    const executionRole = new iam.Role(`${name}-task-execution-role`, {
        description: "ECS agent on behalf of the task: pull the image and write its logs",
        assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        tags,
    }, child(`${name}-task-execution-role`));
    const executionPolicy = new iam.RolePolicy(`${name}-task-execution-policy`, {
        role: executionRole.name,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
                { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                {
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                    Resource: image.repository.arn,
                },
                { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                ...secretReadStatements(service, args.region),
            ],
        }),
    }, child(`${name}-task-execution-policy`));
    // The service's own role, so that it never borrows another's: with exactly its taskPolicyStatements, or empty.
    const permissions = service.taskPolicyStatements;
    const taskRole = new iam.Role(`${name}-task-role`, {
        description: service.exec
            ? "The service's own identity: its taskPolicyStatements, and ECS Exec's Session Manager channels and session log"
            : permissions.length > 0
                ? "The service's own identity: the AWS permissions of its code, its taskPolicyStatements"
                : "The service's own identity; it needs no AWS permissions",
        assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com"),
        tags,
    }, child(`${name}-task-role`));
    const taskPolicy = permissions.length > 0 ? [new iam.RolePolicy(`${name}-task-policy`, {
        role: taskRole.name,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: permissions }),
    }, child(`${name}-task-policy`))] : [];
    const execAccess = service.exec ? [execPolicy(name, taskRole, args.cluster, child)] : [];

    return new ecs.TaskDefinition(`${name}-task-definition`, {
        family: `${args.stackName}-${name}`,
        // A replaced or destroyed revision stays ACTIVE (the provider skips DeregisterTaskDefinition): after a
        // rollback the service runs the revision Pulumi replaced, and the next up must not deregister it, nor
        // the one a later rollback returns to. `npm run destroy` deregisters and deletes the family's revisions
        // once the stack is gone (scripts/cleanupTaskDefinitions.ts).
        skipDestroy: true,
        networkMode: "bridge",
        requiresCompatibilities: ["EC2"],
        // No task-level cpu or memory, even on Service Connect, where AWS suggests adding the proxy's to them:
        // on EC2 Linux the agent enforces task-level values as hard limits (a CFS quota: amazon-ecs-agent,
        // agent/api/task/task_linux.go), which would cap the app and its proxy at a fraction of a vCPU. The
        // capacity check and the estimate count the proxy's share all the same (infra/models/serviceConnect.ts).
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        containerDefinitions: containerDefinitions({
            name,
            image: image.repoDigest,
            cpu: service.cpu,
            memory: service.memory,
            // A worker or a job takes no traffic: no port. A backend's port is named for Service Connect.
            containerPort: service.type === "worker" || service.type === "job" ? undefined : service.containerPort,
            portName: service.type === "backend" ? name : undefined,
            stopTimeout: stopTimeoutSeconds,
            user: service.user,
            command: service.command,
            readonlyRootFilesystem: service.readonlyRootFilesystem,
            environment: service.appImage ? {
                ...service.environment,
                // app-image's contract: its port, health path and drain bound come from the stack.
                ASPNETCORE_HTTP_PORTS: String(service.containerPort),
                HEALTH_CHECK_PATH: service.healthCheckPath,
                SHUTDOWN_TIMEOUT_SECONDS: String(stopTimeoutSeconds - 5),
            } : service.environment,
            secrets: service.secrets,
            healthCheckCommand: service.healthCheckCommand,
            logGroupName: logGroup.name,
            region: args.region,
            exec: service.exec,
        }),
        // Host-less bind mounts: Docker makes each volume with the task and removes it with the task.
        ...(service.exec ? { volumes: execAgentVolumes.map((volume) => ({ name: volume.name })) } : {}),
        tags,
    // A task started before its execution role may pull fails with CannotPullContainerError (or, before it may read
    // its secrets, with ResourceInitializationError); one started before its task role's policy lacks its permissions.
    }, child(`${name}-task-definition`, { dependsOn: [executionPolicy, ...taskPolicy, ...execAccess] }));
}

/**
 * What ECS Exec needs of the task role, as AWS documents it: the SSM agent's Session Manager channels, which have no
 * resource-level permissions (only "*"), and writing the session log to the cluster's exec log group, which the
 * agent first looks up with DescribeLogGroups (also "*" only). A separate inline policy, so that the service's own
 * taskPolicyStatements stay exactly theirs. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 * (IAM permissions required for ECS Exec; for Amazon CloudWatch Logs logging)
 */
function execPolicy(name: string, taskRole: iam.Role, cluster: EcsCluster, child: ChildOptions): iam.RolePolicy {
    const sessionLog = cluster.execLogGroup;
    if (sessionLog === undefined) {
        throw new Error(`service ${name} has exec, but the cluster has no exec log group: pass execSessionLogging to the cluster`);
    }
    return new iam.RolePolicy(`${name}-task-exec-policy`, {
        role: taskRole.name,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                    Resource: "*",
                },
                { Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${sessionLog.arn}:*`,
                },
            ],
        }),
    }, child(`${name}-task-exec-policy`));
}

/**
 * What the execution role needs to read the service's secrets when a task starts, and nothing when it has none:
 * GetSecretValue on each Secrets Manager secret and GetParameters on each SSM parameter, by exact ARN, and Decrypt
 * on its customer managed key only through those services here (an AWS managed key needs no grant of ours).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
function secretReadStatements(service: ServiceConfig, region: string): object[] {
    const sources = Object.values(service.secrets);
    // GetSecretValue names the secret, not the JSON key, stage or version ECS reads of it (the ARN's
    // :json-key:version-stage:version-id); a full ARN, with its 6-character suffix, needs no -?????? wildcard.
    const secretArns = sorted(sources.flatMap((arn) => {
        const [, arnRegion, account, secret] = secretsManagerArn.exec(arn) ?? [];
        return secret === undefined ? [] : [`arn:aws:secretsmanager:${arnRegion}:${account}:secret:${secret}`];
    }));
    const parameterArns = sorted(sources.filter((arn) => ssmParameterArn.test(arn)));
    const readers = [
        ...(secretArns.length > 0 ? [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns }] : []),
        ...(parameterArns.length > 0 ? [{ Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameterArns }] : []),
    ];
    const viaServices = [...(secretArns.length > 0 ? [`secretsmanager.${region}.amazonaws.com`] : []),
        ...(parameterArns.length > 0 ? [`ssm.${region}.amazonaws.com`] : [])];
    return service.secretsKmsKeyArn === undefined ? readers : [...readers, {
        Effect: "Allow", Action: ["kms:Decrypt"], Resource: service.secretsKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": viaServices } },
    }];
}

/** Distinct values in order, so that the policy does not change with the order of the config's map. */
function sorted(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}
