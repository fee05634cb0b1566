with

source_columns as (

    {{ native_source(source('stripe', 'subscription'), [
        ['id', 'text'], ['customer_id', 'text'], ['customer', 'text'], ['status', 'text'],
        ['start_date', 'timestamp'], ['trial_start', 'timestamp'], ['trial_end', 'timestamp'],
        ['cancel_at_period_end', 'boolean'], ['canceled_at', 'timestamp'],
        ['ended_at', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
        order_by='coalesce(ended_at, canceled_at, start_date) desc',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('id', lowercase=false) }} as subscription_id,
        {{ normalize_text('coalesce(customer_id, customer)', lowercase=false) }} as customer_id,

        ---------- text
        {{ normalize_text('status') }} as subscription_status,

        ---------- booleans
        coalesce(cancel_at_period_end, false) as is_cancel_at_period_end,

        ---------- timestamps
        start_date as started_at,
        trial_start as trial_started_at,
        trial_end as trial_ended_at,
        canceled_at,
        ended_at

    from source

)

select * from renamed
