{{ conform('quotas', 'stg_crm__quotas', ['quota_id', 'owner_id', 'currency', 'quota_amount', 'period_start', 'period_end'], add_source_system=true) }}
