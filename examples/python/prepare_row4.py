"""Sets up article row 4 of the resource-files table for an `az batch` session.

Through the Python SDK (the Azure CLI 2.45 has no ARM command for pools with identities): two
user-assigned identities, `worker` and `other`; an account whose autostorage names `worker` as
the node identity (the account has a system-assigned identity, which BatchAccountManagedIdentity
requires); `worker` may read the storage account; the pool `render` carries `other`
only. Writes AZURE_BATCH_ACCOUNT, AZURE_BATCH_ENDPOINT and AZURE_BATCH_ACCESS_KEY (from ARM
listKeys) to DIR/batch-account.env with mode 0600, and prints the file's path, not the key.

    set -a; . DIR/emulator.env; set +a
    /usr/bin/python3 examples/python/prepare_row4.py
"""
import os
import uuid

from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
from azure.mgmt.batch import models as mgmt
from azure.mgmt.msi.models import Identity

from emulator_connection import Emulator

READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"


def main(account_name="clirow4", storage="clistore"):
    em = Emulator()
    rg = em.resource_group
    storage_id = em.storage_account_id(storage)
    worker = em.msi.user_assigned_identities.create_or_update(rg, "worker", Identity(location=em.location))
    other = em.msi.user_assigned_identities.create_or_update(rg, "other", Identity(location=em.location))
    em.batch_mgmt.batch_account.begin_create(
        rg,
        account_name,
        mgmt.BatchAccountCreateParameters(
            location=em.location,
            identity=mgmt.BatchAccountIdentity(type="SystemAssigned"),
            auto_storage=mgmt.AutoStorageBaseProperties(
                storage_account_id=storage_id,
                authentication_mode="BatchAccountManagedIdentity",
                node_identity_reference=mgmt.ComputeNodeIdentityReference(resource_id=worker.id),
            ),
        ),
    ).result()
    em.authorization.role_assignments.create(
        storage_id,
        str(uuid.uuid4()),
        RoleAssignmentCreateParameters(
            role_definition_id="/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}".format(em.subscription_id, READER),
            principal_id=worker.principal_id,
        ),
    )
    em.seed_blob(storage, "inputs", "scene/frame.txt", b"frame data")
    em.batch_mgmt.pool.create(
        rg,
        account_name,
        "render",
        mgmt.Pool(
            identity=mgmt.BatchPoolIdentity(type="UserAssigned", user_assigned_identities={other.id: mgmt.UserAssignedIdentities()}),
            vm_size="STANDARD_D2S_V3",
            scale_settings=mgmt.ScaleSettings(fixed_scale=mgmt.FixedScaleSettings(target_dedicated_nodes=1)),
        ),
    )
    account = em.batch_mgmt.batch_account.get(rg, account_name)
    keys = em.batch_mgmt.batch_account.get_keys(rg, account_name)
    path = os.path.join(os.environ["TYPED_BATCH_EMULATOR_STATE_DIR"], "batch-account.env")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("AZURE_BATCH_ACCOUNT='{}'\n".format(account_name))
        f.write("AZURE_BATCH_ENDPOINT='https://{}'\n".format(account.account_endpoint))
        f.write("AZURE_BATCH_ACCESS_KEY='{}'\n".format(keys.primary))
    print(path)


if __name__ == "__main__":
    main()
