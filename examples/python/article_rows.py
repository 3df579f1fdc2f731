"""The article's eight rows through the Azure SDK for Python against `typed-batch emulator`.

For each row of the two tables (application packages, resource files) it builds the world with
azure-mgmt-msi, azure-mgmt-authorization and azure-mgmt-batch (identities, an account whose
autostorage uses BatchAccountManagedIdentity, an activated package, a pool with a user-assigned
identity) and azure-batch (a job and a task with an autostorage resource file), lets simulated
time pass, and checks the outcome the JavaScript e2e test (test/e2e/article-tables.test.ts)
checks for the raw SDK path. Exit code 0 when all eight match, 1 otherwise.

    set -a; . DIR/emulator.env; set +a
    /usr/bin/python3 examples/python/article_rows.py
"""
import sys
import uuid

import requests

import azure.batch.models as batchmodels
from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
from azure.mgmt.batch import models as mgmt
from azure.mgmt.msi.models import Identity

from emulator_connection import Emulator

READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"

DENIED = 'task failed: ResourceContainerAccessDenied "Access for one of the specified Azure Blob container(s) is denied"'
EXPECTED = {
    ("application-packages", 1): "node idle, package downloaded to root/applications",
    ("application-packages", 2): "node idle, package not downloaded",
    ("application-packages", 3): "node starting, package not downloaded",
    ("application-packages", 4): 'node unusable with ApplicationPackageError "One or more application packages specified for the pool are invalid"',
    ("resource-files", 1): "task completed, exit code 0",
    ("resource-files", 2): DENIED,
    ("resource-files", 3): DENIED,
    ("resource-files", 4): 'task failed: ResourceContainerListMiscError "Miscellaneous error encountered while listing one of the specified Azure Blob container(s)"',
}

# (row, node identity reference given, identity has a storage role, pool carries that identity)
ROWS = [(1, True, True, True), (2, True, False, True), (3, False, True, True), (4, True, True, False)]


def run_row(em, run_id, table, row, node_identity_given, permission, same_pool_identity):
    n = "{}{}{}".format(run_id, "p" if table == "application-packages" else "r", row)
    rg = em.resource_group
    storage = "store" + n
    storage_id = em.storage_account_id(storage)
    worker = em.msi.user_assigned_identities.create_or_update(rg, "worker" + n, Identity(location=em.location))
    other = em.msi.user_assigned_identities.create_or_update(rg, "other" + n, Identity(location=em.location))

    account_name = "acct" + n
    auto_storage = mgmt.AutoStorageBaseProperties(
        storage_account_id=storage_id,
        authentication_mode="BatchAccountManagedIdentity",
        node_identity_reference=mgmt.ComputeNodeIdentityReference(resource_id=worker.id) if node_identity_given else None,
    )
    account = em.batch_mgmt.batch_account.begin_create(
        rg,
        account_name,
        mgmt.BatchAccountCreateParameters(location=em.location, identity=mgmt.BatchAccountIdentity(type="SystemAssigned"), auto_storage=auto_storage),
    ).result()

    def grant(principal_id, role):
        em.authorization.role_assignments.create(
            storage_id,
            str(uuid.uuid4()),
            RoleAssignmentCreateParameters(
                role_definition_id="/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}".format(em.subscription_id, role),
                principal_id=principal_id,
            ),
        )

    grant(account.identity.principal_id, CONTRIBUTOR)  # the account uploads packages to autostorage
    if permission:
        grant(worker.principal_id, READER)
    package = em.batch_mgmt.application_package.create(rg, account_name, "ffmpeg", "6.1")
    # Activation needs the package uploaded to its storageUrl first (a Put Blob with the URL's SAS).
    upload = requests.put(package.storage_url, data=b"ffmpeg 6.1", headers={"x-ms-blob-type": "BlockBlob"}, verify=em.ca, timeout=30)
    upload.raise_for_status()
    em.batch_mgmt.application_package.activate(rg, account_name, "ffmpeg", "6.1", mgmt.ActivateApplicationPackageParameters(format="zip"))
    em.seed_blob(storage, "inputs", "scene/frame.txt", b"frame data")

    pool_identity = worker.id if same_pool_identity else other.id
    packages = table == "application-packages"
    em.batch_mgmt.pool.create(
        rg,
        account_name,
        "render",
        mgmt.Pool(
            identity=mgmt.BatchPoolIdentity(type="UserAssigned", user_assigned_identities={pool_identity: mgmt.UserAssignedIdentities()}),
            vm_size="STANDARD_D2S_V3",
            scale_settings=mgmt.ScaleSettings(fixed_scale=mgmt.FixedScaleSettings(target_dedicated_nodes=1)),
            application_packages=[mgmt.ApplicationPackageReference(id="ffmpeg", version="6.1")] if packages else None,
        ),
    )
    batch = em.batch(account_name)
    if not packages:
        batch.job.add(batchmodels.JobAddParameter(id="frames", pool_info=batchmodels.PoolInformation(pool_id="render")))
        batch.task.add(
            "frames",
            batchmodels.TaskAddParameter(
                id="frame-1",
                command_line="render.sh",
                resource_files=[batchmodels.ResourceFile(auto_storage_container_name="inputs", blob_prefix="scene/")],
            ),
        )
    em.settle()
    return observe(em, batch, account_name, None if packages else "frames")


def observe(em, batch, account_name, job_id):
    """Reads the outcome through the data plane, as a person would in the portal."""
    if job_id is not None:
        task = batch.task.get(job_id, "frame-1")
        failure = task.execution_info.failure_info if task.execution_info else None
        if failure is not None:
            return 'task failed: {} "{}"'.format(failure.code, failure.message)
        return "task {}, exit code {}".format(task.state.value if hasattr(task.state, "value") else task.state, task.execution_info.exit_code)
    nodes = list(batch.compute_node.list("render"))
    if not nodes:
        return "no node"
    node = nodes[0]
    downloaded = any(f.startswith("root/applications/") for f in em.node_files(account_name, "render", node.id))
    errors = "; ".join('{} "{}"'.format(e.code, e.message) for e in (node.errors or []))
    state = node.state.value if hasattr(node.state, "value") else node.state
    return "node {}{}, package {}".format(state, " with " + errors if errors else "", "downloaded to root/applications" if downloaded else "not downloaded")


def main():
    em = Emulator()
    run_id = uuid.uuid4().hex[:6]
    failed = 0
    for table in ("application-packages", "resource-files"):
        for row, node_identity_given, permission, same_pool_identity in ROWS:
            got = run_row(em, run_id, table, row, node_identity_given, permission, same_pool_identity)
            want = EXPECTED[(table, row)]
            ok = got.startswith(want) if row == 4 and table == "application-packages" else got == want
            failed += 0 if ok else 1
            print("{} {}#{}: {}".format("ok  " if ok else "FAIL", table, row, got if ok else "{}\n       expected: {}".format(got, want)))
    print("{} of 8 rows as the article says".format(8 - failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
