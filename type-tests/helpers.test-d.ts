/**
 * The helper types: a helper typed with TaskBuilderOf/IdentityOf keeps the checks at its call site.
 */
import { expectError, expectType } from "tsd";
import { batchAccount, job, pool, resourceFile, task, userAssignedIdentity, type IdentityOf, type TaskBuilderOf, type TaskSpec, type UserAssignedIdentity } from "typed-batch";

declare const id: string;
const reader = userAssignedIdentity(id, "reader");
const stranger = userAssignedIdentity(id, "stranger");
const render = pool("render", batchAccount("acct", { location: "westeurope" }).build()).withIdentities(reader).build();
const frames = job("frames", render).build();

expectType<UserAssignedIdentity<"reader">>({} as IdentityOf<typeof render>);
expectType<UserAssignedIdentity<"reader">>({} as IdentityOf<typeof frames>);

function withScene(t: TaskBuilderOf<typeof frames>, identity: IdentityOf<typeof frames>): TaskBuilderOf<typeof frames> {
  return t.withResourceFile(resourceFile.fromContainerUrl("https://st.blob.core.windows.net/scene", { identity }));
}
expectType<TaskSpec>(withScene(task("t", frames), reader).withCommandLine("render.sh").build());
// The helper's TaskBuilderOf<typeof frames> may come without a command line: build() needs one first.
expectError(withScene(task("t", frames), reader).build());
expectType<TaskSpec>(withScene(task("t", frames).withCommandLine("render.sh"), reader).withCommandLine("render.sh 2").build());
expectError(withScene(task("t", frames), stranger));

function sceneFile<K extends string>(identity: UserAssignedIdentity<K>) {
  return resourceFile.fromContainerUrl("https://st.blob.core.windows.net/scene", { identity });
}
task("t", frames).withResourceFile(sceneFile(reader));
expectError(task("t", frames).withResourceFile(sceneFile(stranger)));
