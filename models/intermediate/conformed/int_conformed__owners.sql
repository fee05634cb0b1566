{{ conform('owners', 'stg_crm__owners', ['owner_id', 'owner_name', 'team'], add_source_system=true) }}
