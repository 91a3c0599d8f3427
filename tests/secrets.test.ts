// A service's secrets and AWS permissions: the container reads its secrets by ARN when a task starts, the
// service's execution role may read exactly those (and decrypt with its key only through Secrets Manager and SSM
// here), its task role holds exactly its taskPolicyStatements, no other role gains anything, the plan shows the
// ARNs and never a value, and bad input is refused before anything is registered.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ConfigError } from "../infra/config";
import { Deployment } from "../offline/run";
import { planOf, renderPlan } from "../scripts/plan";
import { all, assertRefusedBeforeRegistering, input, Json, one, services, state, T } from "./resources";
import { deployed } from "./shared";

const secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::";
const parameterArn = "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-token";
const keyArn = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const readsOrders = { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::orders-bucket/*" };
const app = {
    secrets: { DB_PASSWORD: secretArn, API_TOKEN: parameterArn },
    secretsKmsKeyArn: keyArn,
    taskPolicyStatements: [readsOrders],
};

type Statement = { Effect: string; Action: string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (deployment: Deployment, policy: string) =>
    (JSON.parse(String(input(deployment, T.rolePolicy, policy).policy)) as { Statement: Statement[] }).Statement;
const containerOf = (deployment: Deployment, service = "app") =>
    (JSON.parse(String(input(deployment, T.taskDefinition, `${service}-task-definition`).containerDefinitions)) as Json[])[0];
/** The execution role's statements the stack always writes: pull the image, write the logs. */
const baseStatements = (deployment: Deployment, service = "app") => [
    { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
        Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: state(deployment, T.repository, `${service}-repository`).arn,
    },
    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${String(state(deployment, T.logGroup, `${service}-logs`).arn)}:*` },
];
/** Every grant of the run, by resource, but the ones of `except`. */
const grantsBut = (deployment: Deployment, except: readonly string[]) => [...all(deployment, T.rolePolicy), ...all(deployment, T.attachment)]
    .filter((r) => !except.includes(r.name)).map((r) => [r.type, r.name, r.inputs]);

describe("a service with secrets and task policy statements", () => {
    let stack: Deployment;
    let plain: Deployment;
    const secretsRun = deployed(services({ app }));
    const plainRun = deployed();
    before(async () => { [stack, plain] = await Promise.all([secretsRun, plainRun]); });

    test("the container reads each secret by ARN (valueFrom), in name order, and has no such variable in its environment", () => {
        const container = containerOf(stack);
        assert.deepEqual(container.secrets, [{ name: "API_TOKEN", valueFrom: parameterArn }, { name: "DB_PASSWORD", valueFrom: secretArn }]);
        const environment = (container.environment as { name: string }[]).map((e) => e.name);
        assert.ok(!environment.includes("API_TOKEN") && !environment.includes("DB_PASSWORD"), environment.join(", "));
    });

    test("the execution role may read exactly the secret (without its JSON key suffix) and the parameter, and decrypt only through them", () => {
        assert.deepEqual(statementsOf(stack, "app-task-execution-policy"), [
            ...baseStatements(stack),
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"] },
            { Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [parameterArn] },
            {
                Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn,
                Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"] } },
            },
        ]);
    });

    test("the task role holds exactly the service's statements, and says it has permissions", () => {
        const policy = input(stack, T.rolePolicy, "app-task-policy");
        assert.equal(policy.role, state(stack, T.role, "app-task-role").name);
        assert.deepEqual(JSON.parse(String(policy.policy)), { Version: "2012-10-17", Statement: [{ ...readsOrders, Resource: [readsOrders.Resource] }] });
        assert.doesNotMatch(String(input(stack, T.role, "app-task-role").description), /no AWS permissions/);
        assert.match(String(input(plain, T.role, "app-task-role").description), /needs no AWS permissions/);
        // A task of a new revision starts with its permissions in place.
        assert.ok(one(stack, T.taskDefinition).explicitDependsOn.includes("app-task-policy"));
    });

    test("no other role gains anything: every other policy and attachment is the default stack's", () => {
        const changed = ["app-task-execution-policy", "app-task-policy"];
        assert.deepEqual(grantsBut(stack, changed), grantsBut(plain, changed));
        assert.deepEqual(all(plain, T.rolePolicy).filter((r) => r.name === "app-task-policy"), [], "the default task role has no policy");
    });

    test("the plan shows the ARNs, and the program reads no secret value, nor keeps one", () => {
        const plan = renderPlan(planOf(stack));
        for (const arn of [secretArn, parameterArn, keyArn]) {
            assert.ok(plan.includes(JSON.stringify(arn)), `the plan shows ${arn}`);
        }
        // Each secret is a name and a valueFrom: no `value` under secrets, and nothing that reads a value.
        const secretLines = Object.keys(planOf(stack).find((r) => r.name === "app-task-definition")?.properties ?? {})
            .filter((key) => key.includes(".secrets."));
        assert.deepEqual(secretLines, [0, 1].flatMap((i) => [`containerDefinitions.0.secrets.${i}.name`, `containerDefinitions.0.secrets.${i}.valueFrom`]));
        assert.deepEqual(stack.invokes.map((i) => i.token).filter((token) => /secretsmanager|ssm|kms/.test(token)), []);
        assert.deepEqual(stack.resources.map((r) => r.type).filter((type) => /secretsmanager|ssm|kms/.test(type)), []);
    });
});

describe("each service's roles read only its own secrets", () => {
    const ssmOnly = { API_TOKEN: parameterArn };
    const run = deployed(services({ app: {}, api: { pathPatterns: ["/api/*"], secrets: ssmOnly, taskPolicyStatements: [readsOrders] } }));

    test("a service without secrets or statements keeps the default grants; the other's has no KMS grant without a key", async () => {
        const stack = await run;
        assert.deepEqual(statementsOf(stack, "app-task-execution-policy"), baseStatements(stack));
        assert.deepEqual(statementsOf(stack, "api-task-execution-policy"),
            [...baseStatements(stack, "api"), { Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [parameterArn] }]);
        assert.deepEqual(all(stack, T.rolePolicy).map((p) => p.name).sort(), ["api-task-execution-policy", "api-task-policy", "app-task-execution-policy"]);
        assert.deepEqual(containerOf(stack).secrets, undefined, "ECS leaves an empty secrets list out, so the stack does too");
    });

    const sameSecret = deployed(services({ app: {
        secrets: {
            DB_USER: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:username::",
            DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password:AWSCURRENT:",
        },
        secretsKmsKeyArn: keyArn,
    } }));
    test("two keys of one secret are one grant; the key decrypts only through Secrets Manager when nothing comes from SSM", async () => {
        const stack = await sameSecret;
        assert.deepEqual(statementsOf(stack, "app-task-execution-policy").slice(3), [
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"] },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"] } } },
        ]);
    });
});

describe("bad secrets and statements are refused before anything is registered, naming the key, the value and what is allowed", () => {
    const key = "ecs-on-ec2:services.app";
    const refusals: [rule: string, app: Json, message: RegExp][] = [
        ["an ARN of another service (S3)", { secrets: { DB_PASSWORD: "arn:aws:s3:::orders-bucket/db" } },
            /'ecs-on-ec2:services.app.secrets.DB_PASSWORD': got "arn:aws:s3:::orders-bucket\/db"; expected a Secrets Manager secret ARN .* or an SSM parameter ARN/],
        ["a secret in another region",
            { secrets: { DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf" } },
            /'ecs-on-ec2:services.app.secrets.DB_PASSWORD': got "arn:aws:secretsmanager:eu-west-1:.*"; expected a secret or parameter in us-east-1, the stack's region \(this one is in eu-west-1\)/],
        ["a parameter in another region", { secrets: { API_TOKEN: "arn:aws:ssm:us-west-2:123456789012:parameter/prod/api-token" } },
            /'ecs-on-ec2:services.app.secrets.API_TOKEN': got "arn:aws:ssm:us-west-2:.*"; expected a secret or parameter in us-east-1/],
        ["a KMS key in another region",
            { secrets: { API_TOKEN: parameterArn }, secretsKmsKeyArn: keyArn.replace("us-east-1", "eu-west-1") },
            /'ecs-on-ec2:services.app.secretsKmsKeyArn': got "arn:aws:kms:eu-west-1:.*"; expected a KMS key in us-east-1, the stack's region \(this one is in eu-west-1\)/],
        ["a parameter of another account than the stack's other parameters",
            { secrets: { API_TOKEN: parameterArn, DB_HOST: "arn:aws:ssm:us-east-1:210987654321:parameter/prod/db-host" } },
            /'ecs-on-ec2:services.app.secrets.DB_HOST': got "arn:aws:ssm:us-east-1:210987654321:.*"; expected a parameter of account 123456789012, as ecs-on-ec2:services.app.secrets.API_TOKEN names/],
        ["a secret ARN without Secrets Manager's 6-character suffix", { secrets: { DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db" } },
            /'ecs-on-ec2:services.app.secrets.DB_PASSWORD': got "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db"; expected a Secrets Manager secret ARN/],
        ["a secret ARN with a JSON key but not all of ECS's suffix", { secrets: { DB_PASSWORD: `${secretArn.replace(/::$/, "")}` } },
            /'ecs-on-ec2:services.app.secrets.DB_PASSWORD': got ".*:secret:prod\/db-AbCdEf:password"; expected a Secrets Manager secret ARN/],
        ["a parameter name instead of its ARN", { secrets: { API_TOKEN: "/prod/api-token" } },
            /'ecs-on-ec2:services.app.secrets.API_TOKEN': got "\/prod\/api-token"; expected a Secrets Manager secret ARN/],
        ["a KMS alias instead of a key", { secrets: { API_TOKEN: parameterArn }, secretsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/db" },
            /'ecs-on-ec2:services.app.secretsKmsKeyArn': got "arn:aws:kms:us-east-1:123456789012:alias\/db"; expected a KMS key ARN/],
        ["a KMS key without secrets", { secretsKmsKeyArn: keyArn },
            /'ecs-on-ec2:services.app.secretsKmsKeyArn': got "arn:aws:kms:.*"; expected no key unless the service has secrets to decrypt with it/],
        ["a name in both environment and secrets", { environment: { DB_HOST: "db.internal" }, secrets: { DB_HOST: parameterArn } },
            /'ecs-on-ec2:services.app.secrets.DB_HOST': got "arn:aws:ssm:.*"; expected a name that is not also in environment/],
        ["a variable name the shell cannot hold", { secrets: { "DB-PASSWORD": parameterArn } },
            /'ecs-on-ec2:services.app.secrets.DB-PASSWORD': got "DB-PASSWORD"; expected an environment variable name/],
        ["an action of \"*\"", { taskPolicyStatements: [{ ...readsOrders, Action: "*" }] },
            /'ecs-on-ec2:services.app.taskPolicyStatements.0.Action.0': got "\*"; expected a named action: "\*" would grant every action of every service/],
        ["a whole service's actions (s3:*)", { taskPolicyStatements: [{ ...readsOrders, Action: ["s3:GetObject", "s3:*"] }] },
            /'ecs-on-ec2:services.app.taskPolicyStatements.0.Action.1': got "s3:\*"; expected an action narrower than a whole service/],
        ["NotAction", { taskPolicyStatements: [{ Effect: "Allow", NotAction: ["s3:DeleteObject"], Resource: "*" }] },
            /'ecs-on-ec2:services.app.taskPolicyStatements.0.NotAction': got "\[\\"s3:DeleteObject\\"\]"; expected a key this project reads; did you mean 'ecs-on-ec2:services.app.taskPolicyStatements.0.Action'\?/],
        ["an action without its service", { taskPolicyStatements: [{ ...readsOrders, Action: "GetObject" }] },
            /'ecs-on-ec2:services.app.taskPolicyStatements.0.Action.0': got "GetObject"; expected an IAM action such as s3:GetObject/],
        ["a resource that is not an ARN", { taskPolicyStatements: [{ ...readsOrders, Resource: "orders-bucket/*" }] },
            /'ecs-on-ec2:services.app.taskPolicyStatements.0.Resource.0': got "orders-bucket\/\*"; expected an ARN or "\*"/],
    ];
    for (const [rule, settings, message] of refusals) {
        test(`refuses ${rule}`, () => assertRefusedBeforeRegistering(services({ app: settings }), ConfigError, [message, new RegExp(`'${key}\\.`)]));
    }
    test("refuses an ARN of another account in another service", () => assertRefusedBeforeRegistering(services({
        api: { pathPatterns: ["/api/*"], secrets: { API_TOKEN: parameterArn } },
        app: { secrets: { API_TOKEN: parameterArn.replace("123456789012", "210987654321") } },
    }), ConfigError, [/'ecs-on-ec2:services.app.secrets.API_TOKEN': got "arn:aws:ssm:us-east-1:210987654321:.*"; expected a parameter of account 123456789012, as ecs-on-ec2:services.api.secrets.API_TOKEN names: ECS reads parameters from the task's own account only/]));
    test("accepts a secret of another account: ECS reads it with its resource policy and a customer managed key", async () => {
        const run = await deployed(services({ app: { secrets: { API_TOKEN: parameterArn, DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db-AbCdEf" } } }));
        assert.equal(all(run, T.taskDefinition).length, 1);
    });
});

describe("statements and secrets IAM would refuse are refused by config first", () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::orders-bucket/*" };
    test("an unknown condition operator", () => assertRefusedBeforeRegistering(
        services({ app: { taskPolicyStatements: [{ ...statement, Condition: { StringEqualz: { "aws:SourceVpc": "vpc-1" } } }] } }), ConfigError,
        [/services\.app\.taskPolicyStatements\.0\.Condition\.StringEqualz'.*an IAM condition operator/]));
    test("a condition key without its service prefix", () => assertRefusedBeforeRegistering(
        services({ app: { taskPolicyStatements: [{ ...statement, Condition: { StringEquals: { SourceVpc: "vpc-1" } } }] } }), ConfigError,
        [/Condition\.StringEquals\.SourceVpc'.*a condition key with its service prefix/]));
    test("two statements with one Sid", () => assertRefusedBeforeRegistering(
        services({ app: { taskPolicyStatements: [{ Sid: "Read", ...statement }, { Sid: "Read", ...statement }] } }), ConfigError,
        [/services\.app\.taskPolicyStatements'.*distinct Sids \(Read is used twice\)/]));
    test("statements past IAM's 10,240 characters for a role policy", () => assertRefusedBeforeRegistering(
        services({ app: { taskPolicyStatements: Array.from({ length: 50 }, (_, i) => ({ ...statement, Resource: `arn:aws:s3:::bucket-${i}/${"x".repeat(200)}` })) } }),
        ConfigError, [/services\.app\.taskPolicyStatements'.*at most 10240 characters in all/]));
    test("more secrets than the execution role's policy can name", () => assertRefusedBeforeRegistering(
        services({ app: { secrets: Object.fromEntries(Array.from({ length: 90 }, (_, i) =>
            [`S${i}`, `arn:aws:ssm:us-east-1:123456789012:parameter/${"p".repeat(60)}/${i}`])) } }),
        ConfigError, [/services\.app\.secrets'.*secrets whose ARNs fit the execution role's policy/]));
});
