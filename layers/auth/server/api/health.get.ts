import { setResponseHeader, setResponseStatus } from 'h3'
import type { HealthResponse } from '../../shared/types/api'
import { useAuthServices } from '../services'

/** 200 while the store answers, 503 while it cannot be reached (for load balancers and orchestrators). */
export default defineEventHandler(async (event): Promise<HealthResponse> => {
  setResponseHeader(event, 'cache-control', 'no-store')
  try {
    const { rawStore } = await useAuthServices()
    await rawStore.ping()
    return { status: 'ok' }
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'unavailable' }
  }
})
