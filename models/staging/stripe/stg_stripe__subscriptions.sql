with

source as (

    {{ latest_version(
        source('stripe', 'subscription'),
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
