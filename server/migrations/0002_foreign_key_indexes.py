from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

# The AlterFields below index the foreign keys on PostgreSQL; on SQLite Tortoise's AlterField
# leaves indexes alone, so the same indexes are made here.
FOREIGN_KEYS = (
    ("address", "relation_id"), ("appointment", "relation_id"),
    ("appointment_contact", "contact_id"), ("appointment_employee", "employee_id"),
    ("contact_person", "relation_id"), ("contact_person", "person_id"),
    ("custom_field_value", "relation_id"), ("custom_field_value", "contact_id"),
    ("linked_account", "relation_id"), ("partnership", "person_a_id"),
    ("partnership", "person_b_id"), ("relation_link", "from_relation_id"),
    ("relation_link", "to_relation_id"), ("relation_link", "contact_id"),
    ("shareholding", "holder_id"), ("shareholding", "subsidiary_id"),
    ("staff_assignment", "relation_id"), ("staff_assignment", "employee_id"),
)


async def index_foreign_keys_on_sqlite(apps, schema_editor):
    client = schema_editor.client
    if client.capabilities.dialect != "sqlite":
        return
    for table, column in FOREIGN_KEYS:
        await client.execute_script(
            f'CREATE INDEX IF NOT EXISTS "idx_fk_{table}_{column}" ON "{table}" ("{column}")'
        )


async def search_tokens_in_c_collation(apps, schema_editor):
    """On PostgreSQL a `LIKE 'jans%'` can use the token index only in the "C" collation
    (a database's default, even C.UTF-8, makes it scan the whole table)."""
    client = schema_editor.client
    if client.capabilities.dialect != "postgres":
        return
    await client.execute_script(
        'ALTER TABLE relation_search_token ALTER COLUMN token TYPE VARCHAR(64) COLLATE "C"'
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Address',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', db_index=True, db_constraint=True, to_field='id', related_name='addresses', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Appointment',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='appointments', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='AppointmentContact',
            name='contact',
            field=fields.ForeignKeyField('models.ContactPerson', source_field='contact_id', db_index=True, db_constraint=True, to_field='id', related_name='appointment_rows', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='AppointmentEmployee',
            name='employee',
            field=fields.ForeignKeyField('models.Employee', source_field='employee_id', db_index=True, db_constraint=True, to_field='id', related_name='appointment_rows', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='ContactPerson',
            name='person',
            field=fields.ForeignKeyField('models.Relation', source_field='person_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='contact_roles', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='ContactPerson',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', db_index=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='CustomFieldValue',
            name='contact',
            field=fields.ForeignKeyField('models.ContactPerson', source_field='contact_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='custom_values', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='CustomFieldValue',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='custom_values', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='LinkedAccount',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', db_index=True, db_constraint=True, to_field='id', related_name='accounts', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Partnership',
            name='person_a',
            field=fields.ForeignKeyField('models.Relation', source_field='person_a_id', db_index=True, db_constraint=True, to_field='id', related_name='partnerships_a', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Partnership',
            name='person_b',
            field=fields.ForeignKeyField('models.Relation', source_field='person_b_id', db_index=True, db_constraint=True, to_field='id', related_name='partnerships_b', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='RelationLink',
            name='contact',
            field=fields.ForeignKeyField('models.ContactPerson', source_field='contact_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='link_roles', on_delete=OnDelete.SET_NULL),
        ),
        ops.AlterField(
            model_name='RelationLink',
            name='from_relation',
            field=fields.ForeignKeyField('models.Relation', source_field='from_relation_id', db_index=True, db_constraint=True, to_field='id', related_name='links', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='RelationLink',
            name='to_relation',
            field=fields.ForeignKeyField('models.Relation', source_field='to_relation_id', db_index=True, db_constraint=True, to_field='id', related_name='linked_from', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Shareholding',
            name='holder',
            field=fields.ForeignKeyField('models.Relation', source_field='holder_id', db_index=True, db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='Shareholding',
            name='subsidiary',
            field=fields.ForeignKeyField('models.Relation', source_field='subsidiary_id', db_index=True, db_constraint=True, to_field='id', related_name='shareholders', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='StaffAssignment',
            name='employee',
            field=fields.ForeignKeyField('models.Employee', source_field='employee_id', db_index=True, db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterField(
            model_name='StaffAssignment',
            name='relation',
            field=fields.ForeignKeyField('models.Relation', source_field='relation_id', db_index=True, db_constraint=True, to_field='id', related_name='staff', on_delete=OnDelete.CASCADE),
        ),
        ops.RunPython(index_foreign_keys_on_sqlite, ops.RunPython.noop),
        ops.RunPython(search_tokens_in_c_collation, ops.RunPython.noop),
    ]
